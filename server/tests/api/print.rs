//! Label sheets through `GET /api/print/sheet`, read back with poppler's `pdfinfo` and `pdftotext`
//! (Debian's `poppler-utils`, installed by `scripts/install-tools.sh test`).

use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{assert_failure, json_of, spawn_app, TestApp};

async fn generated(app: &TestApp, scene: &str, label: &str) -> i64 {
    let (status, body) = app.generate(json!({ "scene": scene, "label": label })).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

async fn sheet(app: &TestApp, query: &str) -> reqwest::Response {
    app.http
        .get(format!("{}/api/print/sheet?{query}", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("sent")
}

async fn pdf(app: &TestApp, query: &str) -> Vec<u8> {
    let response = sheet(app, query).await;
    assert_eq!(response.status(), 200, "{query}");
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains(".pdf"), "{disposition}");
    response.bytes().await.expect("body").to_vec()
}

async fn failure(app: &TestApp, query: &str, status: u16) -> Value {
    let (got, body) = json_of(
        app.http.get(format!("{}/api/print/sheet?{query}", app.base)).header("accept-language", "en"),
    )
    .await;
    assert_failure(got, &body, status);
    body
}

/// Runs a poppler tool on the PDF and returns what it printed.
fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sheet.pdf");
    std::fs::write(&path, pdf).expect("written");
    let mut command = Command::new(tool);
    command.arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|e| panic!("{tool} (poppler-utils) runs: {e}"));
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn pages(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", pdf);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("a page count");
    line["Pages:".len()..].trim().parse().expect("a number")
}

fn ids(list: &[i64]) -> String {
    list.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[tokio::test]
async fn thirty_codes_on_a4_3x4_make_three_pages_whose_chinese_text_can_be_read() {
    let app = spawn_app().await;
    let mut codes = Vec::new();
    for n in 1..=30 {
        codes.push(generated(&app, &format!("shop={n}"), &format!("双十一门店{n}")).await);
    }
    let all = ids(&codes);

    let sheet = pdf(&app, &format!("ids={all}&sheet=a4-3x4&cut_marks=true")).await;
    assert_eq!(pages(&sheet), 3, "30 labels, 12 a page");
    // 30 images of ~15 KB, and a font subset instead of Noto CJK's 20 MB.
    assert!(sheet.len() < 1_500_000, "the font is subset: {} bytes", sheet.len());
    let text = poppler("pdftotext", &sheet);
    for n in [1, 12, 13, 30] {
        assert!(text.contains(&format!("双十一门店{n}")), "label {n} in: {text}");
        assert!(text.contains(&format!("shop={n}")), "scene {n} in: {text}");
    }

    // From cell 12 of a half-used sheet: 11 + 30 cells fill 4 pages; two copies each, 5.
    assert_eq!(pages(&pdf(&app, &format!("ids={all}&start=12")).await), 4);
    assert_eq!(pages(&pdf(&app, &format!("ids={all}&copies=2")).await), 5);
    // A custom grid, and free text only.
    let custom = pdf(
        &app,
        &format!("ids={all}&sheet=custom&columns=2&rows=2&margin_mm=15&gap_mm=4&lines=text&text=扫码领券"),
    )
    .await;
    assert_eq!(pages(&custom), 8);
    let text = poppler("pdftotext", &custom);
    assert_eq!(text.matches("扫码领券").count(), 30, "{text}");
    assert!(!text.contains("双十一"), "no label line was asked for: {text}");

    let (_, audit) = app.get_json("/api/audit?action=print_sheet").await;
    assert_eq!(audit["events"].as_array().map(Vec::len), Some(4), "{audit}");
}

#[tokio::test]
async fn a_batch_job_and_a_campaign_label_print_their_own_codes() {
    let app = spawn_app().await;
    let spring = [
        generated(&app, "c=1", "春季活动").await,
        generated(&app, "c=2", "春季活动").await,
        generated(&app, "c=3", "春季活动").await,
    ];
    generated(&app, "c=4", "春季活动二期").await;
    let text = poppler("pdftotext", &pdf(&app, "label=春季活动&lines=scene").await);
    let scenes: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(scenes, ["c=1", "c=2", "c=3"], "exactly that label, oldest first: {text}");
    assert_eq!(spring.len(), 3);

    let csv = "scene,label\nrow=1,第一行\nrow=2,第二行\n";
    let (status, created) = json_of(
        app.http.post(format!("{}/api/batches", app.base)).header("content-type", "text/csv").body(csv),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let batch = created["batch"]["id"].as_i64().expect("job id");
    app.settled_batch(batch, Duration::from_secs(60)).await;
    let text = poppler("pdftotext", &pdf(&app, &format!("batch={batch}&lines=label")).await);
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["第一行", "第二行"], "{text}");
    // The trail names the job (the audit page links to it) and the campaign by its label.
    let (_, audit) = app.get_json("/api/audit?action=print_sheet").await;
    let events = audit["events"].as_array().expect("events");
    assert_eq!(events[0]["batch_id"], batch, "{audit}");
    assert!(events[0]["detail"].as_str().is_some_and(|d| d.starts_with("2 codes: ")), "{audit}");
    assert!(
        events[1]["detail"].as_str().is_some_and(|d| d.starts_with("label “春季活动”, 3 codes: ")),
        "{audit}"
    );

    // A deleted code is left out of its job's sheet and of a selection; a part past the end is refused.
    let (_, listed) = app.get_json(&format!("/api/codes?batch={batch}&q=%E7%AC%AC%E4%B8%80%E8%A1%8C")).await;
    let first = listed["codes"][0]["id"].as_i64().unwrap_or_else(|| panic!("row 1's code: {listed}"));
    let deleted = app.http.delete(format!("{}/api/codes/{first}", app.base)).send().await.expect("sent");
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let text = poppler("pdftotext", &pdf(&app, &format!("batch={batch}&lines=label")).await);
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["第二行"], "{text}");
    let text = poppler("pdftotext", &pdf(&app, &format!("ids={first},{}&lines=label", spring[0])).await);
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["春季活动"], "{text}");
    let body = failure(&app, &format!("ids={first}"), 404).await;
    assert!(body["error"].as_str().unwrap().contains("all deleted"), "{body}");
    let body = failure(&app, &format!("batch={batch}&part=2"), 400).await;
    assert!(body["error"].as_str().unwrap().contains("no part 2"), "{body}");
}

#[tokio::test]
async fn a_sheet_that_cannot_be_printed_says_why() {
    let app = spawn_app().await;
    let id = generated(&app, "x=1", "").await;

    let body = failure(&app, &format!("ids={id}&sheet=letter&start=99&copies=0&lines=label,logo"), 400).await;
    let fields: Vec<&str> =
        body["problems"].as_array().expect("problems").iter().filter_map(|p| p["field"].as_str()).collect();
    assert_eq!(fields, ["sheet", "copies", "lines"], "{body}");
    let body = failure(&app, &format!("ids={id}&start=13"), 400).await;
    assert!(body["error"].as_str().unwrap().contains("1 to 12"), "{body}");
    let body = failure(&app, &format!("ids={id}&sheet=custom&columns=12&rows=20"), 400).await;
    assert_eq!(body["problems"][0]["code"], "sheet_cell_too_small", "{body}");
    let body = failure(&app, &format!("ids={id}&lines=text"), 400).await;
    assert_eq!(body["problems"][0]["code"], "text_empty", "{body}");

    failure(&app, "", 400).await;
    failure(&app, &format!("ids={id}&label=a"), 400).await;
    failure(&app, "ids=1,two", 400).await;
    failure(&app, &format!("ids={id},424242"), 404).await;
    failure(&app, "label=nobody-has-this", 404).await;
    failure(&app, "batch=424242", 404).await;

    let anonymous = reqwest::Client::new().get(format!("{}/api/print/sheet?ids={id}", app.base)).send().await;
    assert_eq!(anonymous.expect("sent").status(), 401);
}

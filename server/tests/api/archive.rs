use std::io::{Cursor, Read};

use serde_json::json;

use crate::helpers::{assert_failure, spawn_app, TestApp};

/// Generates a code and returns its id.
async fn generated(app: &TestApp, body: serde_json::Value) -> i64 {
    let (status, body) = app.generate(body).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("a ZIP");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("entry bytes");
            (file.name().to_owned(), bytes)
        })
        .collect()
}

#[tokio::test]
async fn selected_codes_come_as_one_zip_with_unique_names_and_a_manifest() {
    let app = spawn_app().await;
    let poster = generated(&app, json!({ "scene": "store=1", "label": "海报" })).await;
    let again = generated(&app, json!({ "scene": "store=1", "label": "海报", "force": true })).await;
    let clear = generated(&app, json!({ "scene": "store=2", "is_hyaline": true })).await;
    app.http.delete(format!("{}/api/codes/{clear}/share", app.base)).send().await.unwrap();

    let response = app
        .http
        .get(format!("{}/api/codes/archive?ids={poster},{again},{clear}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains("-3.zip"), "{disposition}");
    let files = entries(&response.bytes().await.unwrap());

    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    // The team's default template: {label}_{scene}_{id}.
    let (first, second) = (format!("海报_store_1_{poster}.jpg"), format!("海报_store_1_{again}.jpg"));
    assert_eq!(names, [first.as_str(), second.as_str(), &format!("store_2_{clear}.png"), "manifest.csv"]);
    for ((_, bytes), id) in files.iter().zip([poster, again, clear]) {
        assert_eq!(bytes, &app.get_bytes(&format!("{}/api/codes/{id}/image", app.base)).await);
    }

    let manifest = &files[3].1;
    assert!(manifest.starts_with("\u{feff}".as_bytes()), "a BOM, so Excel reads UTF-8");
    let mut reader = csv::Reader::from_reader(&manifest[3..]);
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][column("file")], second);
    assert_eq!(&rows[1][column("label")], "海报");
    assert_eq!(&rows[0][column("id")], poster.to_string());
    assert!(rows[0][column("share_url")].starts_with(&format!("{}/s/", app.base)));
    assert_eq!(&rows[2][column("share_url")], "", "a revoked link is not handed out");
    assert_eq!(&rows[2][column("image_type")], "image/png");
}

#[tokio::test]
async fn bad_selections_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "z=1" })).await;
    let get = |query: String| {
        let url = format!("{}/api/codes/archive{query}", app.base);
        let http = app.http.clone();
        async move {
            let response = http.get(url).header("accept-language", "en").send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = get(String::new()).await;
    assert!(assert_failure(status, &body, 400).contains("Select at least one code"));
    let (status, body) = get("?ids=1,two".into()).await;
    assert!(assert_failure(status, &body, 400).contains("\"two\""));
    let too_many: Vec<String> = (1..=501).map(|i| i.to_string()).collect();
    let (status, body) = get(format!("?ids={}", too_many.join(","))).await;
    assert!(assert_failure(status, &body, 400).contains("At most 500"));
    let (status, body) = get(format!("?ids={id},999999")).await;
    assert_failure(status, &body, 404);
}

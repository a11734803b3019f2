//! Centre logos and posters over REST: the rendition decodes, differs from the original only in
//! the centre, and the original bytes never change.

use std::io::Cursor;

use image::{ImageFormat, Rgba, RgbaImage};
use serde_json::{json, Value};
use wxacode::Role;

use crate::helpers::{api_key, assert_failure, client_with_key, json_of, spawn_app, TestApp};

fn png_of(image: &RgbaImage) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, ImageFormat::Png).expect("encoded");
    bytes.into_inner()
}

fn decoded(bytes: &[u8]) -> RgbaImage {
    image::load_from_memory(bytes).expect("an image").to_rgba8()
}

async fn put_logo(app: &TestApp, path: &str, body: Vec<u8>) -> (u16, Value) {
    json_of(app.http.put(format!("{}{path}", app.base)).header("content-type", "image/png").body(body)).await
}

async fn generated(app: &TestApp, body: Value) -> i64 {
    let (status, body) = app.generate(body).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_logo_rendition_differs_from_the_original_only_in_the_centre() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "logo=1", "width": 430 })).await;
    let original_url = format!("{}/api/codes/{id}/image", app.base);
    let original = app.get_bytes(&original_url).await;

    let (status, body) = json_of(app.http.get(format!("{}/api/codes/{id}/branded.png", app.base))).await;
    assert_failure(status, &body, 404);

    let logo = RgbaImage::from_pixel(900, 300, Rgba([0, 90, 200, 255]));
    let (status, body) = put_logo(&app, &format!("/api/codes/{id}/logo"), png_of(&logo)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["logo"]["owner"].as_str(), body["logo"]["width"].as_u64()), (Some("code"), Some(512)));

    let branded = app.get_bytes(&format!("{}/api/codes/{id}/branded.png", app.base)).await;
    assert!(branded.starts_with(b"\x89PNG"));
    let (before, after) = (decoded(&original), decoded(&branded));
    assert_eq!(before.dimensions(), after.dimensions());
    let (cx, cy) = (f64::from(before.width()) / 2.0, f64::from(before.height()) / 2.0);
    let radius = f64::from(before.width()) * 0.22 / 2.0;
    let mut inside_changed = 0;
    for (x, y, pixel) in after.enumerate_pixels() {
        let distance = ((f64::from(x) + 0.5 - cx).powi(2) + (f64::from(y) + 0.5 - cy).powi(2)).sqrt();
        if distance > radius + 1.0 {
            assert_eq!(pixel, before.get_pixel(x, y), "({x}, {y}) lies outside the centre");
        } else if pixel != before.get_pixel(x, y) {
            inside_changed += 1;
        }
    }
    assert!(inside_changed > 500, "{inside_changed} pixels of the centre changed");
    assert_eq!(app.get_bytes(&original_url).await, original, "the original bytes are untouched");

    // Removing the code's logo leaves the app's, if any; here none.
    let removed = app.http.delete(format!("{}/api/codes/{id}/logo", app.base)).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    let (status, _) = json_of(app.http.get(format!("{}/api/codes/{id}/branded.png", app.base))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_apps_logo_applies_to_its_codes_and_only_admins_set_it() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "applogo=1" })).await;
    let (_, apps) = app.get_json("/api/apps").await;
    let appid = apps["default_app"].as_str().expect("the default app").to_owned();
    let logo = png_of(&RgbaImage::from_pixel(64, 64, Rgba([200, 0, 0, 255])));

    let member = client_with_key(&api_key(&app.database_url, Role::Member).await);
    let (status, body) = json_of(
        member
            .put(format!("{}/api/apps/{appid}/logo", app.base))
            .header("content-type", "image/png")
            .body(logo.clone()),
    )
    .await;
    assert_failure(status, &body, 403);

    let (status, body) = put_logo(&app, &format!("/api/apps/{appid}/logo"), logo).await;
    assert_eq!(status, 200, "{body}");
    let branded = decoded(&app.get_bytes(&format!("{}/api/codes/{id}/branded.png", app.base)).await);
    let middle = branded.get_pixel(branded.width() / 2, branded.height() / 2).0;
    assert_eq!(middle, [200, 0, 0, 255], "the app's logo in the middle");
    assert_eq!(&app.get_bytes(&format!("{}/api/apps/{appid}/logo", app.base)).await[..4], b"\x89PNG");

    let (_, audit) = app.get_json("/api/audit?action=logo_set").await;
    assert_eq!(audit["events"].as_array().map(Vec::len), Some(1), "{audit}");
}

#[tokio::test]
async fn a_logo_that_is_not_a_small_image_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "badlogo=1" })).await;
    let path = format!("/api/codes/{id}/logo");
    let (status, body) = put_logo(&app, &path, b"GIF89a not a logo".to_vec()).await;
    assert!(assert_failure(status, &body, 400).contains("PNG"), "{body}");
    let (status, body) = put_logo(&app, &path, vec![0x89; 2 * 1024 * 1024]).await;
    let message = assert_failure(status, &body, 413);
    assert!(message.contains("1024 KB") && message.contains("2048 KB"), "the size it was: {body}");
    let wide = png_of(&RgbaImage::from_pixel(5000, 1, Rgba([0, 0, 0, 255])));
    let (status, body) = put_logo(&app, &path, wide).await;
    assert!(assert_failure(status, &body, 400).contains("4096"), "{body}");
    let hairline = png_of(&RgbaImage::from_pixel(4000, 10, Rgba([0, 0, 0, 255])));
    let (status, body) = json_of(
        app.http
            .put(format!("{}{path}", app.base))
            .header("content-type", "image/png")
            .header("accept-language", "en")
            .body(hairline),
    )
    .await;
    assert!(assert_failure(status, &body, 400).contains("4000 × 10"), "{body}");
    let (status, _) = json_of(app.http.get(format!("{}/api/codes/{id}/logo", app.base))).await;
    assert_eq!(status, 404, "nothing was stored");
    let (status, body) = put_logo(&app, "/api/codes/424242/logo", png_of(&RgbaImage::new(8, 8))).await;
    assert_failure(status, &body, 404);
}

#[tokio::test]
async fn a_poster_is_the_code_on_a_card_with_its_caption() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "poster=1", "label": "双十一海报" })).await;
    let response = app
        .http
        .get(format!("{}/api/codes/{id}/poster.png?size=300&padding=30", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("poster") && disposition.contains(".png"), "{disposition}");
    let card = decoded(&response.bytes().await.unwrap());
    assert_eq!(card.width(), 360);
    assert!(card.height() > 360 + 20, "a caption under the code: {}", card.height());

    let bare = decoded(
        &app.get_bytes(&format!("{}/api/codes/{id}/poster.png?lines=none&padding=0&size=300", app.base))
            .await,
    );
    assert_eq!(bare.dimensions(), (300, 300));

    let (status, body) = json_of(
        app.http
            .get(format!("{}/api/codes/{id}/poster.png?size=5000&lines=label,scene,page", app.base))
            .header("accept-language", "en"),
    )
    .await;
    assert_failure(status, &body, 400);
    let codes: Vec<&str> =
        body["problems"].as_array().unwrap().iter().filter_map(|p| p["code"].as_str()).collect();
    assert_eq!(codes, ["poster_size_out_of_range", "too_many_lines"], "{body}");
}

#[tokio::test]
async fn a_zip_can_hold_posters_and_logo_versions_beside_the_originals() {
    let app = spawn_app().await;
    let with_logo = generated(&app, json!({ "scene": "zip=1", "label": "带标志" })).await;
    let plain = generated(&app, json!({ "scene": "zip=2", "label": "普通" })).await;
    let logo = png_of(&RgbaImage::from_pixel(32, 32, Rgba([0, 0, 0, 255])));
    assert_eq!(put_logo(&app, &format!("/api/codes/{with_logo}/logo"), logo).await.0, 200);

    let zip = app
        .get_bytes(&format!(
            "{}/api/codes/archive?ids={with_logo},{plain}&with=poster,logo&name_template=%7Blabel%7D_%7Bscene%7D",
            app.base
        ))
        .await;
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("a ZIP");
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "manifest.csv",
            "带标志_zip_1-logo.png",
            "带标志_zip_1-poster.png",
            "带标志_zip_1.jpg",
            "普通_zip_2-poster.png",
            "普通_zip_2.jpg",
        ]
    );
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("manifest.csv").unwrap(), &mut manifest).unwrap();
    let header = manifest.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned();
    assert!(header.ends_with("share_url,poster_file,logo_file"), "{header}");
    assert!(
        manifest.contains("普通_zip_2-poster.png,\n") || manifest.contains("普通_zip_2-poster.png,\r\n"),
        "{manifest}"
    );

    let (status, body) =
        json_of(app.http.get(format!("{}/api/codes/archive?ids={plain}&with=gif", app.base))).await;
    assert_failure(status, &body, 400);
}

//! Scans per day as bars: plain SVG, drawn with the page (no chart library).

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::models::living::DayCount;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 140.0;
/// Room under the bars for the axis line.
const AXIS: f64 = 2.0;

/// `caption`: what the bars count, in both languages.
#[component]
pub fn ScanChart(days: Vec<DayCount>, caption: (&'static str, &'static str)) -> impl IntoView {
    let lang = use_lang();
    let most = days.iter().map(|d| d.scans).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / days.len().max(1) as f64;
    let total: i64 = days.iter().map(|d| d.scans).sum();
    let first = days.first().map(|d| d.day.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.day.clone()).unwrap_or_default();
    let summary = {
        let (first, last) = (first.clone(), last.clone());
        move || match lang.get() {
            wxacode::Lang::Zh => format!("{first} 至 {last} 每日扫码次数，共 {total} 次"),
            wxacode::Lang::En => format!("Scans per day from {first} to {last}: {total} in all"),
        }
    };
    let bars = days
        .into_iter()
        .enumerate()
        .map(|(index, day)| {
            let height = (day.scans as f64 / most) * (HEIGHT - AXIS - 4.0);
            let x = index as f64 * slot + slot * 0.15;
            let y = HEIGHT - AXIS - height;
            let title = format!("{}: {}", day.day, day.scans);
            view! {
                <rect class="bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{:.1}", slot * 0.7)
                    height=format!("{height:.1}") data-day=day.day.clone() data-scans=day.scans>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="scan-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary.clone() preserveAspectRatio="none">
                <line class="axis" x1="0" x2=WIDTH y1=HEIGHT - AXIS y2=HEIGHT - AXIS />
                {bars}
            </svg>
            // Outside the stretched drawing, so the dates keep their shape at any width.
            <div class="chart-axis" aria-hidden="true"><span>{first}</span><span>{last}</span></div>
            <figcaption class="muted">{move || tr(lang.get(), caption.0, caption.1)}</figcaption>
        </figure>
    }
}

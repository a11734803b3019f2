//! `/print`: label sheets. The codes come from the address (`ids=`, `batch=` or `label=`); the
//! sheet's settings sit beside a preview of its first page, drawn with the same geometry as the
//! PDF, and the download is the REST API's PDF for the same query. Settings stay in the address,
//! so a reload or a shared link keeps them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wxacode::label_sheet::{
    label_box, sheet_code_side_mm, Preset, SheetLayout, LINE_HEIGHT, MAX_COPIES, MAX_LINES, PT_PER_MM,
};
use wxacode::sheet_request::{LineField, SheetChoice, SheetInput, CUSTOM_SHEET, MAX_FREE_TEXT, NO_LINES};
use wxacode::{Field, Lang, Message, Problem, ProblemCode};

use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::field_problems::FieldProblems;
use crate::components::line_select::LineSelect;
use crate::components::page_title::PageTitle;
use crate::functions::print::print_codes;
use crate::i18n::{tr, use_lang};
use crate::models::codes::CodeSummary;
use crate::models::print::{
    lines_of, sheet_query, PrintPreview, PrintSourceInput, MAX_PRINT_CODES, MAX_PRINT_LABELS,
};
use crate::urls;

/// The form as typed: numbers stay text until they are checked.
#[derive(Clone, Copy)]
struct SheetForm {
    sheet: RwSignal<String>,
    columns: RwSignal<String>,
    rows: RwSignal<String>,
    margin: RwSignal<String>,
    gap: RwSignal<String>,
    start: RwSignal<String>,
    copies: RwSignal<String>,
    cut_marks: RwSignal<bool>,
    /// Up to three line fields; "" for none.
    lines: [RwSignal<String>; MAX_LINES],
    text: RwSignal<String>,
}

impl SheetForm {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str, default: &str| RwSignal::new(get(name).unwrap_or_else(|| default.to_owned()));
        let asked = SheetInput { lines: get("lines"), ..SheetInput::default() };
        let fields = asked.line_fields().unwrap_or_else(|_| vec![LineField::Label, LineField::Scene]);
        let line = |n: usize| RwSignal::new(fields.get(n).map(|f| f.as_str().to_owned()).unwrap_or_default());
        Self {
            sheet: text("sheet", Preset::A4x3x4.as_str()),
            columns: text("columns", "3"),
            rows: text("rows", "4"),
            margin: text("margin_mm", "10"),
            gap: text("gap_mm", "5"),
            start: text("start", "1"),
            copies: text("copies", "1"),
            cut_marks: RwSignal::new(get("cut_marks").is_some_and(|v| v == "true")),
            lines: [line(0), line(1), line(2)],
            text: text("text", ""),
        }
    }

    fn is_custom(&self) -> bool {
        self.sheet.with(|s| s == CUSTOM_SHEET)
    }

    /// The request, and the numbers that could not be read as such.
    fn input(&self) -> (SheetInput, Vec<Problem>) {
        let mut problems = Vec::new();
        let custom = self.is_custom();
        // Whole numbers for cells and copies, millimetres (decimals allowed) for margins and gaps;
        // what cannot be read is said as such, never changed into another number.
        let mut read =
            |signal: RwSignal<String>, field: Field, code: ProblemCode, what: Message, whole: bool| {
                let raw = signal.get();
                let raw = raw.trim();
                let value = raw
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0 && (!whole || n.fract() == 0.0));
                if value.is_none() {
                    let (zh, en) = match whole {
                        true => ("须为正整数", "must be a whole number"),
                        false => ("须为不小于 0 的毫米数", "must be millimetres, 0 or more"),
                    };
                    problems.push(Problem::new(
                        field,
                        code,
                        Message::new(
                            format!("{}{zh}，收到 {raw:?}", what.zh),
                            format!("{} {en}; got {raw:?}", what.en),
                        ),
                    ));
                }
                value
            };
        let start = read(
            self.start,
            Field::StartCell,
            ProblemCode::StartCellOutOfRange,
            Message::new("起始格", "The starting cell"),
            true,
        );
        let copies = read(
            self.copies,
            Field::Copies,
            ProblemCode::CopiesOutOfRange,
            Message::new("份数", "Copies"),
            true,
        );
        let grid = |n: Option<f64>| n.map(|n| n.min(f64::from(u16::MAX)) as u16);
        let (columns, rows, margin, gap) = if custom {
            let code = ProblemCode::SheetMeasureInvalid;
            let columns = grid(read(self.columns, Field::Sheet, code, Message::new("列数", "Columns"), true));
            let rows = grid(read(self.rows, Field::Sheet, code, Message::new("行数", "Rows"), true));
            let margin = read(self.margin, Field::Sheet, code, Message::new("边距", "The margin"), false);
            let gap = read(self.gap, Field::Sheet, code, Message::new("间距", "The gap"), false);
            (Some(columns.unwrap_or(0)), Some(rows.unwrap_or(0)), margin, gap)
        } else {
            (None, None, None, None)
        };
        let lines: Vec<String> = self.lines.iter().map(|l| l.get()).filter(|l| !l.is_empty()).collect();
        let input = SheetInput {
            sheet: Some(self.sheet.get()),
            columns,
            rows,
            margin_mm: margin,
            gap_mm: gap,
            // Unreadable: reported above; the check then skips what it would say again.
            start: Some(start.map_or(0, |n| n.min(1e6) as usize)),
            copies: Some(copies.map_or(0, |n| n.min(f64::from(u16::MAX)) as u16)),
            cut_marks: self.cut_marks.get(),
            lines: Some(if lines.is_empty() { NO_LINES.to_owned() } else { lines.join(",") }),
            text: Some(self.text.get()).filter(|t| !t.trim().is_empty()),
        };
        (input, problems)
    }
}

#[component]
pub fn PrintPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let source = Memo::new(move |_| {
        query.with(|q| PrintSourceInput {
            ids: q.get("ids"),
            batch: q.get("batch").and_then(|b| b.trim().parse().ok()),
            label: q.get("label"),
            part: q.get("part").and_then(|p| p.trim().parse().ok()),
        })
    });
    let form = query.with_untracked(|q| SheetForm::from_query(|name| q.get(name)));
    let checked = Memo::new(move |_| {
        let (input, mut problems) = form.input();
        let readable = problems.is_empty();
        let choice = match input.check() {
            Ok(choice) if problems.is_empty() => Some(choice),
            Ok(_) => None,
            // A field that could not be read says so once, not again as out of range.
            Err(found) => {
                let unread: Vec<Field> = problems.iter().map(|p| p.field).collect();
                problems.extend(found.into_iter().filter(|p| !unread.contains(&p.field)));
                None
            }
        };
        (input, choice, problems, readable)
    });
    let problems = Signal::derive(move || checked.with(|(_, _, problems, _)| problems.clone()));
    let sheet_query = Memo::new(move |_| checked.with(|(input, _, _, _)| sheet_query(input)));
    let full_query = move || {
        let source = source.with(PrintSourceInput::query);
        [source, sheet_query.get()].into_iter().filter(|q| !q.is_empty()).collect::<Vec<_>>().join("&")
    };
    // A reload or a shared link keeps the settings; a number being typed that cannot be read yet
    // leaves the address as it was rather than writing 0 for it.
    Effect::new(move |_| {
        if checked.with(|c| c.3) {
            crate::browser::replace_query(urls::PRINT, &full_query());
        }
    });
    let codes = Resource::new(move || source.get(), print_codes);

    view! {
        <PageTitle zh="打印标签" en="Print labels" />
        <section class="card print">
            <h1>{move || tr(lang.get(), "打印标签", "Print labels")}</h1>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let preview = codes.await;
                    let batch_name = preview.as_ref().ok().and_then(|p| p.batch_name.clone());
                    let title = view! {
                        <p class="hint">{move || source_title(&source.get(), batch_name.as_deref(), lang.get())}</p>
                    };
                    let notes = preview.as_ref().ok().map(|p| {
                        let source = source.get_untracked();
                        view! { <SourceNotes preview=p.clone() source sheet_query=sheet_query.get_untracked() /> }
                    });
                    let body = match preview.map(|p| p.codes) {
                        // Nothing chosen (the page opened on its own): say how, not which parameters.
                        Err(_) if source.with(|s| *s == PrintSourceInput::default()) => view! {
                            <p class="hint">{move || tr(lang.get(), "还没有选择要打印的小程序码：在历史记录中勾选，再点“打印标签”。", "No codes are chosen yet: tick them in the history, then press Print labels.")}</p>
                            <a class="button" href=urls::HISTORY>{move || tr(lang.get(), "去历史记录选择", "Choose codes in the history")}</a>
                        }.into_any(),
                        Err(error) => {
                            // A job too big for one PDF is printed in parts from its codes in the history.
                            let history = source.with(|s| s.batch.map_or_else(|| urls::HISTORY.to_owned(), urls::batch_codes));
                            view! {
                                <ErrorAlert error />
                                <a class="button" href=history>{move || tr(lang.get(), "去历史记录选择", "Choose codes in the history")}</a>
                            }.into_any()
                        }
                        Ok(codes) => {
                            let codes = StoredValue::new(codes);
                            // The server's limit, said before the download instead of by a failed one.
                            let labels = move || checked.with(|(_, choice, _, _)| choice.as_ref().map(|c| codes.with_value(Vec::len) * usize::from(c.copies)));
                            let too_many = move || labels().is_some_and(|n| n > MAX_PRINT_LABELS);
                            view! {
                                <div class="print-layout">
                                    <SheetFields form problems />
                                    <div class="print-side">
                                        <Summary codes checked=Signal::derive(move || checked.with(|(_, choice, _, _)| choice.clone())) />
                                        {move || too_many().then(|| view! {
                                            <p class="error" role="alert">{move || match lang.get() {
                                                Lang::Zh => format!("一个文件最多 {MAX_PRINT_LABELS} 个标签，现在是 {} 个：请减少份数或分几次打印", labels().unwrap_or_default()),
                                                Lang::En => format!("One file holds at most {MAX_PRINT_LABELS} labels; this is {}: fewer copies, or print in parts", labels().unwrap_or_default()),
                                            }}</p>
                                        })}
                                        {move || if problems.with(Vec::is_empty) && !too_many() {
                                            view! {
                                                <a class="button primary" href=urls::with_query(urls::API_PRINT_SHEET, &full_query()) download>
                                                    {move || tr(lang.get(), "下载 PDF", "Download PDF")}
                                                </a>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class="button primary" disabled>
                                                    {move || tr(lang.get(), "请先修正上面的设置", "Fix the settings first")}
                                                </button>
                                            }.into_any()
                                        }}
                                        <Preview codes choice=Signal::derive(move || checked.with(|(_, choice, _, _)| choice.clone())) />
                                    </div>
                                </div>
                            }.into_any()
                        }
                    };
                    view! { {title} {notes} {body} }
                })}
            </Transition>
        </section>
    }
}

fn source_title(source: &PrintSourceInput, batch_name: Option<&str>, lang: Lang) -> String {
    let job = |batch: i64| match batch_name.filter(|n| !n.is_empty()) {
        Some(name) => format!("“{name}” (#{batch})"),
        None => format!("#{batch}"),
    };
    match (source.batch, source.label.as_deref(), lang) {
        (Some(batch), _, Lang::Zh) => format!("批量任务 {} 生成的小程序码", job(batch)),
        (Some(batch), _, Lang::En) => format!("The codes of batch job {}", job(batch)),
        (None, Some(label), Lang::Zh) => format!("标签为“{label}”的小程序码"),
        (None, Some(label), Lang::En) => format!("The codes labelled “{label}”"),
        (None, None, Lang::Zh) => "在历史记录中选择的小程序码".to_owned(),
        (None, None, Lang::En) => "The codes chosen in the history".to_owned(),
    }
}

/// What the page left out (deleted codes) and, for a source of more than one PDF's worth, which
/// part this is, with links to the others.
#[component]
fn SourceNotes(preview: PrintPreview, source: PrintSourceInput, sheet_query: String) -> impl IntoView {
    let lang = use_lang();
    let PrintPreview { skipped, part, parts, first, total, codes, .. } = preview;
    let last = first + codes.len().saturating_sub(1);
    let skipped_note = (!skipped.is_empty()).then(|| {
        let names = skipped.join("、");
        let count = skipped.len();
        view! {
            <p class="notice" role="note">{move || match lang.get() {
                Lang::Zh => format!("已跳过 {count} 个已删除的码：{names}"),
                Lang::En => format!("Left out {count} deleted {}: {names}", if count == 1 { "code" } else { "codes" }),
            }}</p>
        }
    });
    let parts_nav = (parts > 1).then(|| {
        let link = move |n: usize| {
            let source = PrintSourceInput { part: Some(n), ..source.clone() };
            let query = [source.query(), sheet_query.clone()].into_iter().filter(|q| !q.is_empty()).collect::<Vec<_>>();
            urls::with_query(urls::PRINT, &query.join("&"))
        };
        view! {
            <nav class="print-parts" aria-label=move || tr(lang.get(), "分部分打印", "Parts")>
                <p>{move || match lang.get() {
                    Lang::Zh => format!("共 {total} 个码，一份 PDF 最多 {MAX_PRINT_CODES} 个，分 {parts} 部分打印。这是第 {part} 部分（第 {first}–{last} 个）。"),
                    Lang::En => format!("{total} codes, at most {MAX_PRINT_CODES} a PDF: {parts} parts. This is part {part} (codes {first}–{last})."),
                }}</p>
                <ul>
                    {(1..=parts).map(|n| view! {
                        <li>
                            <a href=link(n) aria-current=(n == part).then_some("page")>
                                {move || match lang.get() {
                                    Lang::Zh => format!("第 {n} 部分"),
                                    Lang::En => format!("Part {n}"),
                                }}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    view! { {skipped_note} {parts_nav} }
}

/// The sheet's settings.
#[component]
fn SheetFields(form: SheetForm, problems: Signal<Vec<Problem>>) -> impl IntoView {
    let lang = use_lang();
    let invalid =
        move |field: Field| move || problems.with(|p| p.iter().any(|p| p.field == field)).then_some("true");
    let number = move |id: &'static str,
                       signal: RwSignal<String>,
                       field: Field,
                       zh: &'static str,
                       en: &'static str,
                       min: &'static str,
                       step: &'static str| {
        view! {
            <div class="form-field">
                <label for=id>{move || tr(lang.get(), zh, en)}</label>
                <input id=id type="number" inputmode="decimal" min=min step=step
                    aria-invalid=invalid(field)
                    // Set once: a number field must not be rewritten while a person types "2." or "-".
                    value=signal.get_untracked()
                    on:input=move |ev| signal.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <form class="print-form" on:submit=|ev| ev.prevent_default()>
            <div class="form-field">
                <label for="sheet">{move || tr(lang.get(), "纸张", "Sheet")}</label>
                <select id="sheet" aria-invalid=invalid(Field::Sheet) aria-describedby="sheet-problems"
                    prop:value=move || form.sheet.get()
                    on:change=move |ev| form.sheet.set(event_target_value(&ev))>
                    {Preset::ALL.into_iter().map(|preset| view! {
                        <option value=preset.as_str() selected=move || form.sheet.get() == preset.as_str()>{move || preset.title().get(lang.get()).to_owned()}</option>
                    }).collect_view()}
                    <option value=CUSTOM_SHEET>{move || tr(lang.get(), "自定义（A4，毫米）", "Custom (A4, mm)")}</option>
                </select>
                <FieldProblems field=Field::Sheet problems id="sheet-problems" />
            </div>
            <Show when=move || form.is_custom()>
                <div class="print-grid">
                    {number("columns", form.columns, Field::Sheet, "列数", "Columns", "1", "1")}
                    {number("rows", form.rows, Field::Sheet, "行数", "Rows", "1", "1")}
                    {number("margin_mm", form.margin, Field::Sheet, "边距（毫米）", "Margin (mm)", "0", "0.5")}
                    {number("gap_mm", form.gap, Field::Sheet, "间距（毫米）", "Gap (mm)", "0", "0.5")}
                </div>
            </Show>
            <div class="print-grid">
                <div>
                    {number("start", form.start, Field::StartCell, "从第几格开始", "Start at cell", "1", "1")}
                    <FieldProblems field=Field::StartCell problems id="start-problems" />
                </div>
                <div>
                    {number("copies", form.copies, Field::Copies, "每个码的份数", "Copies of each code", "1", "1")}
                    <FieldProblems field=Field::Copies problems id="copies-problems" />
                </div>
            </div>
            <p class="hint">{move || match lang.get() {
                Lang::Zh => format!("用过一半的标签纸：从第一个空格开始。每个码最多 {MAX_COPIES} 份。"),
                Lang::En => format!("A half-used sheet: start at its first free cell. Up to {MAX_COPIES} copies of each code."),
            }}</p>
            <fieldset class="print-lines">
                <legend>{move || tr(lang.get(), "码下的文字（最多三行，自动缩小以放下）", "Text under each code (up to three lines, shrunk to fit)")}</legend>
                {form.lines.into_iter().enumerate().map(|(n, line)| {
                    let id = format!("line-{}", n + 1);
                    view! {
                        <div class="form-field">
                            <label for=id.clone()>{move || match lang.get() {
                                Lang::Zh => format!("第 {} 行", n + 1),
                                Lang::En => format!("Line {}", n + 1),
                            }}</label>
                            <LineSelect id=id value=line invalid=Signal::derive(invalid(Field::Lines)) />
                        </div>
                    }
                }).collect_view()}
                <FieldProblems field=Field::Lines problems id="lines-problems" />
                <div class="form-field">
                    <label for="text">
                        {move || tr(lang.get(), "自定义文字", "Free text")}
                        <span class="counter" class:over=move || form.text.with(|t| t.trim().chars().count() > MAX_FREE_TEXT)>
                            {move || format!("{}/{MAX_FREE_TEXT}", form.text.with(|t| t.trim().chars().count()))}
                        </span>
                    </label>
                    <input id="text" type="text" aria-invalid=invalid(Field::Text) aria-describedby="text-problems"
                        placeholder=move || tr(lang.get(), "例如：扫码领券", "e.g. Scan for a coupon")
                        value=form.text.get_untracked()
                        prop:value=move || form.text.get()
                        on:input=move |ev| form.text.set(event_target_value(&ev)) />
                    <p class="hint">{move || tr(lang.get(), "选“自定义文字”行时，每个码下都印这段文字。", "Printed under every code on a “Free text” line.")}</p>
                    <FieldProblems field=Field::Text problems id="text-problems" />
                </div>
            </fieldset>
            <label class="checkbox">
                <input type="checkbox" checked=form.cut_marks.get_untracked() prop:checked=move || form.cut_marks.get()
                    on:change=move |ev| form.cut_marks.set(event_target_checked(&ev)) />
                {move || tr(lang.get(), "页边裁切线", "Cut marks in the margins")}
            </label>
        </form>
    }
}

/// "12 codes · 24 labels · 2 pages".
#[component]
fn Summary(codes: StoredValue<Vec<CodeSummary>>, checked: Signal<Option<SheetChoice>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="print-summary" aria-live="polite">{move || {
            let count = codes.with_value(Vec::len);
            match checked.get() {
                Some(choice) => {
                    let labels = count * usize::from(choice.copies);
                    let pages = choice.layout.pages(labels, choice.start_cell);
                    match lang.get() {
                        Lang::Zh => format!("{count} 个码 · {labels} 个标签 · {pages} 页"),
                        Lang::En => format!(
                            "{count} {} · {labels} {} · {pages} {}",
                            if count == 1 { "code" } else { "codes" },
                            if labels == 1 { "label" } else { "labels" },
                            if pages == 1 { "page" } else { "pages" },
                        ),
                    }
                }
                None => match lang.get() {
                    Lang::Zh => format!("{count} 个码"),
                    Lang::En => format!("{count} {}", if count == 1 { "code" } else { "codes" }),
                },
            }
        }}</p>
    }
}

/// A stand-in for the print font's widths: CJK one em, the rest a little over half.
fn preview_em_width(line: &str) -> f64 {
    line.chars().map(|c| if c.is_ascii() { 0.56 } else { 1.0 }).sum()
}

/// The first page as it prints: cells in outline, used cells before the start greyed, each label
/// placed by the PDF's own geometry.
#[component]
fn Preview(codes: StoredValue<Vec<CodeSummary>>, choice: Signal<Option<SheetChoice>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <figure class="print-preview">
            <figcaption>{move || tr(lang.get(), "第 1 页预览", "Page 1 preview")}</figcaption>
            {move || choice.get().map(|choice| page_view(&codes.get_value(), &choice))}
        </figure>
    }
}

fn page_view(codes: &[CodeSummary], choice: &SheetChoice) -> impl IntoView {
    let layout: SheetLayout = choice.layout;
    let spec = layout.spec();
    let (paper_w, paper_h) = (spec.paper_width_mm, spec.paper_height_mm);
    let x = move |mm: f64| format!("{:.3}%", mm / paper_w * 100.0);
    let y = move |mm: f64| format!("{:.3}%", mm / paper_h * 100.0);
    let cells = (1..=layout.cells_per_page()).map(|n| {
        let cell = layout.cell(n);
        let style = format!(
            "left:{};top:{};width:{};height:{}",
            x(cell.x_mm),
            y(cell.y_mm),
            x(cell.width_mm),
            y(cell.height_mm)
        );
        view! { <div class="preview-cell" class:used=n < choice.start_cell style=style></div> }
    });
    let placements = layout.place(codes.len(), choice.copies, choice.start_cell).unwrap_or_default();
    let lines: Vec<Vec<String>> = codes
        .iter()
        .map(|code| lines_of(code, choice).iter().map(|line| without_emoji(line)).collect())
        .collect();
    let side = sheet_code_side_mm(&layout.cell(1), lines.iter().map(Vec::as_slice), preview_em_width);
    let labels = placements.into_iter().filter(|p| p.page == 0).map(|placement| {
        let code = &codes[placement.item];
        let label = label_box(&placement.cell, &lines[placement.item], preview_em_width, side);
        let image_style = format!("left:{};top:{};width:{}", x(label.code_x_mm), y(label.code_y_mm), x(label.code_side_mm));
        // Sizes in container units: the preview scales with its box.
        let font_cqw = label.text.size_pt / PT_PER_MM / paper_w * 100.0;
        let text_style = format!(
            "left:{};top:{};width:{};font-size:{font_cqw:.3}cqw;line-height:{LINE_HEIGHT}",
            x(placement.cell.x_mm),
            y(label.text_top_mm),
            x(placement.cell.width_mm)
        );
        view! {
            <img class="preview-code" src=code.image_url() alt=code.request.scene.as_str().to_owned() style=image_style />
            <div class="preview-text" style=text_style>
                {label.text.lines.into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
            </div>
        }
    }).collect_view();
    view! {
        <div class="preview-page" style=format!("aspect-ratio:{paper_w}/{paper_h}")>
            {cells.collect_view()}
            {labels}
        </div>
    }
}

/// The line as the PDF prints it, near enough: its font (Noto Sans CJK) has no emoji, which the
/// server leaves out, so the preview leaves them out too.
fn without_emoji(line: &str) -> String {
    let emoji = |c: char| {
        // Pictographs only: the symbols below U+1F000 (★, ☆) are partly in the font.
        matches!(u32::from(c), 0x1F000..=0x1FAFF | 0xFE00..=0xFE0F | 0x200D | 0xE0020..=0xE007F)
    };
    let kept: String = line.chars().filter(|c| !emoji(*c)).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_leaves_out_emoji_as_the_pdf_does() {
        assert_eq!(without_emoji("双十一 🎉 大促 👍🏽"), "双十一 大促");
        assert_eq!(without_emoji("A·B ★ 上海"), "A·B ★ 上海");
    }
}

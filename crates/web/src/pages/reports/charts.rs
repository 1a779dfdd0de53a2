//! Charts drawn on the server as SVG with plotters: horizontal bars, each labelled, in
//! GOV.UK blue. Each SVG is an image with a title and a description (`role="img"`,
//! `aria-labelledby`); the page shows the same figures in a table beside it, so no one
//! depends on the picture.

use plotters::prelude::*;

/// One bar: its label, its length, and the figure the table shows.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A chart ready to place on a page, and the figures behind it.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// The SVG markup (escaped by construction).
    pub svg: String,
    pub bars: Vec<Bar>,
    /// What the figures are, for the table's heading.
    pub measure: String,
}

const WIDTH: u32 = 640;
const BLUE: RGBColor = RGBColor(0x1d, 0x70, 0xb8);

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Draws `bars` from 0 to `max`, labelled `axis`.
pub fn bar_chart(id: &str, title: &str, description: &str, axis: &str, max: f64, bars: Vec<Bar>) -> Chart {
    let rows = u32::try_from(bars.len().max(1)).unwrap_or(1);
    let height = 70 + 34 * rows;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..max.max(1.0), (0u32..rows).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .x_desc(axis)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 14))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()?;
        chart.draw_series(
            Histogram::horizontal(&chart).style(BLUE.filled()).margin(6).data(
                bars.iter()
                    .enumerate()
                    .map(|(i, b)| (u32::try_from(i).unwrap_or(0), b.value)),
            ),
        )?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        svg.clear();
    }
    let opening = svg.find('>').map_or(0, |end| end + 1);
    let accessible = format!(
        "<svg viewBox=\"0 0 {WIDTH} {height}\" class=\"app-chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         xmlns=\"http://www.w3.org/2000/svg\" focusable=\"false\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escaped(title),
        escaped(description)
    );
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        svg: format!("{accessible}{}", svg.get(opening..).unwrap_or("</svg>")),
        bars,
        measure: axis.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_image_with_a_title_and_description_and_escapes_its_text() {
        let chart = bar_chart(
            "themes",
            "Themes <2026>",
            "How often each theme occurs",
            "Cases",
            3.0,
            vec![Bar {
                label: "Neglect & <script>".into(),
                value: 2.0,
                shown: "2".into(),
            }],
        );
        assert!(
            chart
                .svg
                .starts_with("<svg viewBox=\"0 0 640 104\" class=\"app-chart\" role=\"img\"")
        );
        assert!(
            chart
                .svg
                .contains("<title id=\"themes-title\">Themes &lt;2026&gt;</title>")
        );
        assert!(chart.svg.contains("Neglect &amp; &lt;script&gt;"), "{}", chart.svg);
        assert!(!chart.svg.contains("<script"));
        assert!(!chart.svg.contains("style="), "no inline style under the page's CSP");
        assert!(chart.svg.trim_end().ends_with("</svg>"));
    }
}

//! The commands that read without storing: `preview` (one source read as a run would, its
//! items printed, nothing written) and `extract` (one page — file, URL or stdin — through the
//! post-page extraction). They use the run's readers and fetcher, never the state or out/.

use super::*;

/// `preview`: read one source as a run would, print what it yields, write nothing. Exit 1 when
/// nothing was extracted, 2 for an unknown source.
pub(super) fn preview(
    config: &Config,
    id: &str,
    json: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<u8> {
    let Some(source) = config.sources.iter().find(|s| s.id == id) else {
        eprintln!("feedwright: no source `{id}` in {}", config.path.display());
        return Ok(2);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let fetcher = Fetcher::new(&config.settings)?;
    let none = Validators::default();
    let result: Result<(SourceFeed, Vec<String>, Vec<String>), SourceError> =
        runtime.block_on(async {
            match html_selectors(source) {
                Some(selectors) => read_html_source(&fetcher, source, selectors, &none, false, now)
                    .await
                    .and_then(|r| {
                        r.map(|(r, _)| (r.feed, r.pages, r.diagnostics))
                            .ok_or_else(|| {
                                SourceError::Unsupported("the server said: not modified".into())
                            })
                    }),
                None => {
                    let Some((fetched, _)) =
                        fetch_page(&fetcher, source, None, &none, Reuse::Keep, now).await?
                    else {
                        return Err(SourceError::Unsupported(
                            "the server said: not modified".into(),
                        ));
                    };
                    let feed = read_document(&source.id, source.title.as_deref(), &fetched, now)?;
                    let warnings = feed.warnings.clone();
                    Ok((feed, vec![fetched.url.to_string()], warnings))
                }
            }
        });
    let (feed, pages, diagnostics) = match result {
        Ok(r) => r,
        Err(e) => {
            if json {
                let doc = serde_json::json!({
                    "source": id,
                    "items": [],
                    "error": e.to_string(),
                });
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
            eprintln!(
                "feedwright: source `{id}` ({}): {e}",
                source.location_label()
            );
            return Ok(1);
        }
    };
    let (dates, _) = date_context(source, now);
    let show_date = |s: &crate::model::Stamp| preview_date(s, dates.timezone);
    let mut out = String::new();
    if json {
        let items: Vec<serde_json::Value> = feed
            .items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "id": i.id,
                    "title": i.title,
                    "link": i.link,
                    "published": i.published.as_ref().map(|s| show_date(s).0),
                    "precision": i.published.as_ref().map(|s| s.precision.label()),
                    "authors": i.authors.iter().filter_map(|a| a.name.clone()).collect::<Vec<_>>(),
                    "summary": i.summary,
                    "content": i.content,
                    "image": i.image,
                    "categories": i.categories,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "source": id,
            "pages": pages,
            "title": feed.title,
            "items": items,
            "diagnostics": diagnostics,
        });
        out = serde_json::to_string_pretty(&doc)?;
        out.push('\n');
    } else {
        out.push_str(&preview_table(&feed.items, &show_date));
        out.push_str(&format!(
            "{} item(s) from {}\n",
            feed.items.len(),
            if pages.is_empty() {
                source.location_label()
            } else {
                pages.join(", ")
            }
        ));
        if !diagnostics.is_empty() {
            out.push_str("problems:\n");
            for d in &diagnostics {
                out.push_str(&format!("  - {d}\n"));
            }
        }
    }
    // A closed pipe (`preview … | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(if feed.items.is_empty() { 1 } else { 0 })
}

/// A stamp for people: (RFC 3339 in the source's zone, `2026-01-10 (relative)` for the table).
fn preview_date(stamp: &crate::model::Stamp, tz: Option<chrono_tz::Tz>) -> (String, String) {
    use crate::model::DatePrecision;
    let local = stamp.utc.with_timezone(&tz.unwrap_or(chrono_tz::UTC));
    let rfc = local.fixed_offset().to_rfc3339();
    let shown = match stamp.precision {
        DatePrecision::Exact => local.format("%Y-%m-%d %H:%M %:z").to_string(),
        DatePrecision::Month => local.format("%Y-%m").to_string(),
        _ => local.format("%Y-%m-%d").to_string(),
    };
    (rfc, format!("{shown} ({})", stamp.precision.label()))
}

/// The preview table: title, date with precision, author, link.
fn preview_table(
    items: &[Item],
    show_date: &dyn Fn(&crate::model::Stamp) -> (String, String),
) -> String {
    fn cut(s: &str, n: usize) -> String {
        if s.chars().count() <= n {
            s.to_owned()
        } else {
            let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
            t.push('…');
            t
        }
    }
    let rows: Vec<[String; 4]> = items
        .iter()
        .map(|i| {
            [
                cut(i.title.as_deref().unwrap_or("(no title)"), 60),
                i.published
                    .as_ref()
                    .map(|s| show_date(s).1)
                    .unwrap_or_else(|| "-".into()),
                cut(
                    &i.authors
                        .iter()
                        .filter_map(|a| a.name.as_deref())
                        .collect::<Vec<_>>()
                        .join(", "),
                    24,
                ),
                i.link.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let header = ["TITLE", "DATE", "AUTHOR", "LINK"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 4]| {
        let mut l = String::new();
        for (k, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if k == 3 {
                l.push_str(cell);
            } else {
                l.push_str(cell);
                l.push_str(&" ".repeat(w.saturating_sub(cell.chars().count()) + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &rows {
        line([&row[0], &row[1], &row[2], &row[3]]);
    }
    out
}

/// `extract`: read one page (file, URL or stdin), run the post-page extraction, print it.
/// Exit status 1 when no body was extracted, 2 when the input cannot be read.
pub(super) fn extract_command(
    cli: &crate::cli::Cli,
    input: &str,
    url: Option<&str>,
    json: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<u8> {
    use crate::source::auto::article::extract_article;
    let given_url = match url {
        Some(u) => {
            Some(url::Url::parse(u).map_err(|e| anyhow::anyhow!("--url {u:?} is not a URL: {e}"))?)
        }
        None => None,
    };
    let is_remote = input.starts_with("http://") || input.starts_with("https://");
    let (bytes, charset, fetched_url) = if input == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        (buf, None, None)
    } else if is_remote {
        let fetched = fetch_one_page(cli, input, now)?;
        (fetched.bytes, fetched.charset, Some(fetched.url))
    } else {
        let path = Path::new(input);
        let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {input}: {e}"))?;
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        (bytes, None, url::Url::from_file_path(&abs).ok())
    };
    let page_url = given_url
        .or(fetched_url)
        .or_else(|| url::Url::parse("file:///dev/stdin").ok())
        .ok_or_else(|| anyhow::anyhow!("no page URL; pass --url"))?;
    let text = crate::source::repair::decode(&bytes, charset.as_deref()).text;
    let dates = crate::normalise::date::DateContext {
        now,
        timezone: None,
        language: None,
        day_first: None,
        format: None,
    };
    let article = extract_article(&text, &page_url, &dates);
    let content_text = article.content_text();
    let author = (!article.authors.is_empty()).then(|| {
        article
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let stamp_text = |s: &crate::model::Stamp| {
        chrono::FixedOffset::east_opt(s.offset_secs)
            .map(|o| s.utc.with_timezone(&o).to_rfc3339())
            .unwrap_or_else(|| s.utc.to_rfc3339())
    };
    let published = article.published.as_ref().map(stamp_text);
    let precision = article.published.map(|s| s.precision.label());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let value = serde_json::json!({
            "url": page_url.as_str(),
            "title": article.title,
            "author": author,
            "authors": article.authors.iter().filter_map(|p| p.name.clone()).collect::<Vec<_>>(),
            "published": published,
            "date_precision": precision,
            "updated": article.updated.as_ref().map(stamp_text),
            "language": article.language,
            "image": article.image,
            "canonical": article.canonical,
            "site_name": article.site_name,
            "summary": article.summary,
            "categories": article.categories,
            "js_rendered": article.js_rendered,
            "diagnostics": article.diagnostics,
            "content_html": article.content_html,
            "content_text": content_text,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        let show = |v: Option<&str>| v.unwrap_or("-").to_string();
        writeln!(out, "title:     {}", show(article.title.as_deref()))?;
        writeln!(out, "author:    {}", show(author.as_deref()))?;
        match (&published, precision) {
            (Some(p), Some(l)) => writeln!(out, "published: {p} ({l})")?,
            _ => writeln!(out, "published: -")?,
        }
        writeln!(out, "language:  {}", show(article.language.as_deref()))?;
        writeln!(out, "image:     {}", show(article.image.as_deref()))?;
        writeln!(out, "canonical: {}", show(article.canonical.as_deref()))?;
        writeln!(out)?;
        writeln!(out, "{}", content_text.as_deref().unwrap_or(""))?;
    }
    for d in &article.diagnostics {
        eprintln!("feedwright: {page_url}: {d}");
    }
    Ok(if content_text.as_deref().is_some_and(|t| !t.is_empty()) {
        0
    } else {
        1
    })
}

/// Fetch one ad-hoc page with the configured (or default) settings, as an html source would.
fn fetch_one_page(
    cli: &crate::cli::Cli,
    page: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Fetched> {
    let escaped = page.replace('\\', "\\\\").replace('"', "\\\"");
    let adhoc = format!("[[source]]\nid = \"extract\"\nurl = \"{escaped}\"\nkind = \"html\"\n");
    let mut config = crate::config::parse(&adhoc, &cli.config)
        .map_err(|e| anyhow::anyhow!("{page:?} is not a usable URL: {e}"))?;
    if cli.config.exists()
        && let Ok(user) = crate::config::load(&cli.config)
    {
        config.settings = user.settings;
    }
    let source = config
        .sources
        .first()
        .ok_or_else(|| anyhow::anyhow!("no source for {page}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let fetcher = Fetcher::new(&config.settings)?;
    match runtime.block_on(fetcher.fetch(source, &Validators::default(), true, Reuse::Keep, now))? {
        FetchOutcome::Fetched { document, .. } => Ok(document),
        FetchOutcome::NotModified => Err(anyhow::anyhow!("{page}: not modified")),
    }
}

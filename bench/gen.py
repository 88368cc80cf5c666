#!/usr/bin/env python3
"""Deterministic workload for the feedwright benchmark (bench/run.sh).

Writes, under OUT/site/:
  p/NNNNN.html   N list pages (~50 KB, 30 posts each, with nav, sidebars, scripts, footer)
  f/NNNNN.xml    N RSS 2.0 feeds (~55 KB, 50 items each)
  robots.txt     allow-all
and, under OUT/, the configs that read them over loopback, each source on its own address:
  feeds.toml     feedwright, the N feeds            (source i at http://127.2.X.Y:PORT/f/i.xml)
  pages.toml     feedwright, the N list pages       (kind = "html", at http://127.1.X.Y:PORT/p/i.html)
  rsspls.toml    rsspls, the same N list pages
  nginx.conf     one server with a `listen` per address
With --change F, regenerates a deterministic fraction F of the pages and feeds with one new post
on top (the oldest falls off) and touches nothing else. Same seed, same bytes.
"""

import argparse
import datetime as dt
import html
import os
import random

WORDS = (
    "council budget river bridge school library garden market festival volunteers election "
    "harbour railway museum concert weather storm repair community plan housing transport "
    "bicycle lane park playground report meeting residents mayor project funding summer winter "
    "autumn spring night morning weekend history archive photo story interview season league "
    "team match goal record data climate energy solar wind water street square cafe bakery "
    "theatre cinema review guide recipe travel coast mountain valley village town city region"
).split()
NAMES = ["Ana Ruiz", "Ben Okafor", "Chloé Martin", "Dmitri Volkov", "Eva Lindqvist",
         "Farid Haddad", "Grace Chen", "Hiro Tanaka", "Inés García", "Jonas Weber"]
TAGS = ["news", "local", "culture", "sport", "politics", "science", "travel", "food", "opinion",
        "tech", "environment", "education"]
PORT_DEFAULT = 18088
BASE_TIME = dt.datetime(2026, 6, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def addr(net, i):
    """The loopback address of source i in 127.NET.X.Y (Y in 1..250)."""
    return f"127.{net}.{i // 250}.{i % 250 + 1}"


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng, n):
    w = words(rng, n)
    return w[:1].upper() + w[1:] + "."


def post(rng, site, i, k, when):
    """One post's facts (deterministic in rng)."""
    title = sentence(rng, rng.randint(4, 8)).rstrip(".")
    slug = "-".join(title.lower().split()[:5])
    return {
        "title": title,
        "url": f"{site}/{when:%Y/%m}/{slug}-{i}-{k}/",
        "when": when,
        "author": rng.choice(NAMES),
        "tags": rng.sample(TAGS, 2),
        "paras": [sentence(rng, rng.randint(17, 28)) for _ in range(3)],
        "img": f"/img/{i}/{k}.jpg",
        "id": i * 1000 + k,
    }


def posts_of(seed, i, count, changes):
    """The `count` newest posts of source i after `changes` updates (one new post each)."""
    rng = random.Random(f"{seed}:{i}")
    total = count + changes
    step = dt.timedelta(hours=rng.randint(3, 30))
    newest = BASE_TIME - dt.timedelta(minutes=rng.randint(0, 600))
    site = f"https://site{i}.example"
    out = []
    for k in range(total):
        prng = random.Random(f"{seed}:{i}:{k}")
        out.append(post(prng, site, i, k, newest - step * (total - 1 - k)))
    out.reverse()  # newest first
    return out[:count]


def boilerplate(rng, n_links):
    return "\n".join(
        f'<li class="menu-item"><a href="/section/{words(rng, 1)}-{j}/">{words(rng, 2).title()}</a></li>'
        for j in range(n_links)
    )


def list_page(seed, i, changes):
    rng = random.Random(f"{seed}:page:{i}")
    posts = posts_of(seed, i, 30, changes)
    site_name = f"The {words(rng, 1).title()} {words(rng, 1).title()} Gazette"
    arts = []
    for p in posts:
        summary = html.escape(" ".join(p["paras"])[:150])
        tags = " ".join(f'<a href="/tag/{t}/" rel="tag">{t}</a>' for t in p["tags"])
        arts.append(f"""<article class="post type-post status-publish hentry" id="post-{p['id']}">
  <header class="entry-header">
    <h2 class="entry-title"><a href="{p['url']}" rel="bookmark">{html.escape(p['title'])}</a></h2>
    <div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{p['when'].isoformat()}">{p['when']:%B %-d, %Y}</time></span>
    <span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/{p['author'].split()[0].lower()}/">{html.escape(p['author'])}</a></span></span></div>
  </header>
  <div class="post-thumbnail"><img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{p['img']}" alt="" width="640" height="360"></div>
  <div class="entry-summary"><p>{summary}&hellip;</p><a class="more-link" href="{p['url']}">Continue reading <span class="screen-reader-text">{html.escape(p['title'])}</span></a></div>
  <footer class="entry-footer"><span class="cat-links">Posted in {tags}</span> <span class="comments-link"><a href="{p['url']}#respond">Leave a comment</a></span></footer>
</article>""")
    recent = "\n".join(f'<li><a href="{p["url"]}">{html.escape(p["title"])}</a></li>' for p in posts[:8])
    archives = "\n".join(f'<li><a href="/{2026 - m // 12}/{12 - m % 12:02d}/">{["January","February","March","April","May","June","July","August","September","October","November","December"][11 - m % 12]} {2026 - m // 12}</a></li>' for m in range(24))
    cloud = " ".join(f'<a href="/tag/{t}/" class="tag-cloud-link" style="font-size: {rng.randint(8, 22)}pt;">{t}</a>' for t in TAGS)
    script = "var siteConfig = " + "{" + ",".join(f'"{words(rng, 1)}{j}":"{words(rng, 3)}"' for j in range(40)) + "};"
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{site_name} &#8211; News from around town</title>
<link rel="stylesheet" id="theme-css" href="/wp-content/themes/twenty/style.css?ver=6.4" media="all">
<link rel="stylesheet" id="blocks-css" href="/wp-includes/css/dist/block-library/style.min.css" media="all">
<script>{script}</script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebSite","name":"{site_name}","url":"https://site{i}.example/"}}</script>
<style>body{{font-family:Georgia,serif;margin:0}} .site-header{{background:#123;color:#fff}} .entry-title a{{color:#222;text-decoration:none}} .widget{{margin:2em 0}} .screen-reader-text{{position:absolute;left:-9999px}}</style>
</head>
<body class="home blog wp-theme-twenty">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">{site_name}</a></p><p class="site-description">{sentence(rng, 8)}</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-expanded="false">Menu</button><ul id="primary-menu" class="menu">
{boilerplate(rng, 25)}
</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
{chr(10).join(arts)}
<nav class="navigation pagination"><div class="nav-links"><span class="page-numbers current">1</span><a class="page-numbers" href="/page/2/">2</a><a class="next page-numbers" href="/page/2/">Next</a></div></nav>
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" action="/"><input type="search" name="s"><button>Search</button></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section>
<section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archives}</ul></section>
<section class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2><div class="tagcloud">{cloud}</div></section>
</aside></div>
<footer id="colophon" class="site-footer"><div class="footer-menu"><ul>{boilerplate(rng, 12)}</ul></div><div class="site-info">&copy; 2026 {site_name}. {sentence(rng, 12)}</div></footer>
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
<script>document.querySelectorAll("img.lazy").forEach(function(i){{i.src=i.dataset.src}});</script>
</body>
</html>
"""


def rfc822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S +0000")


def rss_feed(seed, i, changes):
    rng = random.Random(f"{seed}:feed:{i}")
    posts = posts_of(seed, 100_000 + i, 50, changes)
    title = f"{words(rng, 2).title()} Weekly"
    items = []
    for p in posts:
        body = "".join(f"<p>{html.escape(x)}</p>" for x in p["paras"][:2])
        body += f'<p><img src="{p["img"]}" alt=""> <a href="{p["url"]}">Read more</a></p>'
        cats = "".join(f"<category>{t}</category>" for t in p["tags"])
        items.append(f"""    <item>
      <title>{html.escape(p['title'])}</title>
      <link>{p['url']}</link>
      <guid isPermaLink="true">{p['url']}</guid>
      <pubDate>{rfc822(p['when'])}</pubDate>
      <dc:creator>{html.escape(p['author'])}</dc:creator>
      {cats}
      <description>{html.escape(body)}</description>
    </item>""")
    newest = posts[0]["when"]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{title}</title>
    <link>https://feed{i}.example/</link>
    <description>{sentence(rng, 10)}</description>
    <language>en-us</language>
    <lastBuildDate>{rfc822(newest)}</lastBuildDate>
    <atom:link href="https://feed{i}.example/feed.xml" rel="self" type="application/rss+xml"/>
    <generator>bench/gen.py</generator>
{chr(10).join(items)}
  </channel>
</rss>
"""


def changed_set(seed, n, fraction, round_no):
    rng = random.Random(f"{seed}:changes:{round_no}")
    return sorted(rng.sample(range(n), max(1, round(n * fraction))))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def configs(out, n, port, group, host_delay):
    site = os.path.join(out, "site")
    delay = [f'host_delay = "{host_delay}"'] if host_delay else []
    feeds = ["[settings]", 'out_dir = "out-feeds"', 'state = "state-feeds/feedwright.db"',
             'base_url = "https://planet.example/"'] + delay + [""]
    pages = ["[settings]", 'out_dir = "out-pages"', 'state = "state-pages/feedwright.db"',
             'base_url = "https://planet.example/"'] + delay + [""]
    rsspls = ["[rsspls]", 'output = "out-rsspls"', ""]
    for i in range(n):
        g = i // group
        feeds += ["[[source]]", f'id = "f{i:05d}"', f'url = "http://{addr(2, i)}:{port}/f/{i:05d}.xml"',
                  'kind = "feed"', f'tags = ["g{g}"]', ""]
        pages += ["[[source]]", f'id = "p{i:05d}"', f'url = "http://{addr(1, i)}:{port}/p/{i:05d}.html"',
                  'kind = "html"', 'timezone = "UTC"', f'tags = ["g{g}"]', "[source.selectors]",
                  'item = "article.post"', 'title = "h2.entry-title a"',
                  'link = { selector = "h2.entry-title a", attr = "href" }',
                  'date = { selector = "time.published", attr = "datetime" }',
                  'author = ".author .fn"', 'summary = ".entry-summary p"',
                  'image = { selector = "img", attr = "data-src" }',
                  'categories = "a[rel~=tag]"', ""]
        rsspls += ["[[feed]]", f'title = "Page {i}"', f'filename = "p{i:05d}.rss"', "[feed.config]",
                   f'url = "http://{addr(1, i)}:{port}/p/{i:05d}.html"', 'item = "article.post"',
                   'heading = "h2.entry-title a"', 'link = "h2.entry-title a"',
                   'summary = ".entry-summary p"',
                   'date = "time.published"', ""]
    for g in range((n + group - 1) // group):
        for lines, kind in ((feeds, "feeds"), (pages, "pages")):
            lines += ["[[feed]]", f'id = "{kind}-g{g}"', f'title = "Group {g}"',
                      'link = "https://planet.example/"', f'tags = ["g{g}"]', "max_items = 100", ""]
    for lines, kind in ((feeds, "feeds"), (pages, "pages")):
        lines += ["[[feed]]", f'id = "{kind}-all"', 'title = "Everything"',
                  'link = "https://planet.example/"', "max_items = 200", ""]
    write(os.path.join(out, "feeds.toml"), "\n".join(feeds))
    write(os.path.join(out, "pages.toml"), "\n".join(pages))
    write(os.path.join(out, "rsspls.toml"), "\n".join(rsspls))
    listens = "\n".join(f"    listen {addr(net, i)}:{port};" for net in (1, 2) for i in range(n))
    write(os.path.join(out, "nginx.conf"), f"""# generated by bench/gen.py
worker_processes 1;
worker_rlimit_nofile {4 * n + 1024};
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
daemon on;
events {{ worker_connections {2 * n + 1024}; }}
http {{
  log_format bench '$server_addr $status $request_uri';
  access_log {out}/access.log bench;
  types {{ text/html html; application/rss+xml xml; text/plain txt; }}
  default_type application/octet-stream;
  etag on;
  keepalive_timeout 30s;
  client_body_temp_path {out}/nginx-tmp;
  proxy_temp_path {out}/nginx-tmp;
  fastcgi_temp_path {out}/nginx-tmp;
  uwsgi_temp_path {out}/nginx-tmp;
  scgi_temp_path {out}/nginx-tmp;
  server {{
{listens}
    root {site};
  }}
}}
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", default="feedwright-bench-1")
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, default=PORT_DEFAULT)
    ap.add_argument("--group", type=int, default=50, help="sources per output feed")
    ap.add_argument("--change", type=float, default=0.0, help="fraction of sources to update")
    ap.add_argument("--round", type=int, default=1, help="which change round (1, 2, …)")
    ap.add_argument("--host-delay", default="", help="host_delay for feedwright (default: its own)")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    site = os.path.join(out, "site")
    if a.change > 0:
        for i in changed_set(a.seed, a.n, a.change, a.round):
            write(os.path.join(site, "p", f"{i:05d}.html"), list_page(a.seed, i, a.round))
            write(os.path.join(site, "f", f"{i:05d}.xml"), rss_feed(a.seed, i, a.round))
        return
    os.makedirs(os.path.join(out, "nginx-tmp"), exist_ok=True)
    write(os.path.join(site, "robots.txt"), "User-agent: *\nDisallow: /private/\n")
    for i in range(a.n):
        write(os.path.join(site, "p", f"{i:05d}.html"), list_page(a.seed, i, 0))
        write(os.path.join(site, "f", f"{i:05d}.xml"), rss_feed(a.seed, i, 0))
    configs(out, a.n, a.port, a.group, a.host_delay)


if __name__ == "__main__":
    main()

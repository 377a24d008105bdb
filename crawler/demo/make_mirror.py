"""Builds crawler/demo/mirror/: a small offline copy of the three sites for `newsclean demo` and the
crawl tests. Run `python -m crawler.demo.make_mirror [SEEDS_DIR]` to rebuild it (the RT, Sputnik and
Republic World seed articles come from ../shared/seeds/expected; the other texts from texts.py).

Each page follows its site's real template (container classes, meta tags, JSON-LD, canonical links
to the real site URLs) with the usual junk around the article (menus, share bars, read-more cards,
related blocks, ads, comments, footers), written anew for the demo. Per site: robots.txt, a
sitemap (index + news sitemap), an RSS feed, section pages, an about page and one broken page.
"""
from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

from . import texts

HERE = Path(__file__).resolve().parent
MIRROR = HERE / "mirror"
DEFAULT_SEEDS = HERE.parents[2] / "shared" / "seeds" / "expected"


def esc(value) -> str:
    return html.escape(value or "", quote=True)


def paragraphs_html(paragraphs, inject_after: int, inject: str) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        out.append(f"<p>{esc(p)}</p>")
        if i == inject_after:
            out.append(inject)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# RT: the ArticleView template (www.rt.com and actualidad.rt.com share it)
# --------------------------------------------------------------------------------------------
def rt_page(a: dict) -> str:
    url, lang = a["url"], a.get("lang", "en")
    site_name = "RT en Español" if lang == "es" else "RT International"
    read_more = ("<div class=\"ReadMore-root Section-root Section-is1to3-xs_is1to1\"><div class=\"Section-container "
                 "Section-isRow-isTop-isWrap\"><article class=\"Card-root Card-is1to1 Card-default\"><div class=\""
                 "Card-imageWrap\"><div class=\"Card-picture\"><picture class=\"Picture-root Picture-default\"><img "
                 "class=\"Picture-root Picture-default lazyload\" src=\"/static/card.jpg\" alt=\"\"></picture></div></div>"
                 "<div class=\"Card-contentWrap\"><div class=\"Card-content\"><div class=\"Card-title\"><div class=\""
                 "HeaderNews-root HeaderNews-type_6\"><a class=\"Link-root Link-isFullCard\" href=\""
                 f"{esc(a['related'][0][1])}\">{esc(a['related'][0][0])}</a></div></div></div></div></article></div></div>")
    body = paragraphs_html(a["paragraphs"], 1, read_more)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "mainEntityOfPage": url,
          "headline": a["title"], "datePublished": a["published_iso"], "inLanguage": lang,
          "publisher": {"@type": "Organization", "name": site_name}}
    if a.get("description"):
        ld["description"] = a["description"]
    tags = "".join(f'<li class="Tags-item"><a class="Tags-link" href="/tags/{esc(t.lower().replace(" ", "-"))}/">{esc(t)}</a></li>'
                   for t in a.get("tags", []))
    summary = (f'<div class="ArticleView-summary"><div class="Text-root Text-type_1">{esc(a["description"])}</div></div>'
               if a.get("description") else "")
    related = "".join(f'<span>{esc(u.split(".com", 1)[1])}</span>' for _t, u in a["related"])
    cards = "".join(
        f'<article class="Card-root Card-isHoverScale Card-default"><div class="Card-content"><div class="Card-title">'
        f'<a class="Link-root Link-isFullCard" href="{esc(u)}">{esc(t)}</a></div></div></article>'
        for t, u in a["related"])
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0, user-scalable=yes">
<title>{esc(a['title'])} — {site_name}</title>
<meta property="og:site_name" content="{site_name}">
<meta name="description" content="{esc(a.get('description') or a['paragraphs'][0][:150])}">
<meta property="og:type" content="article">
<meta property="og:url" content="{esc(url)}">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:description" content="{esc(a.get('description') or '')}">
<meta property="article:author" content="{site_name}">
<meta property="article:section" content="{esc(a['section'])}">
<meta property="article:published_time" content="{a['published_iso']}">
<meta name="publish-date" content="{a['published_iso'][:10]} {a['published_iso'][11:19]}">
<link rel="amphtml" href="{esc(url.rstrip('/'))}/amp">
<link rel="canonical" href="{esc(url)}">
<meta name="twitter:site" content="@RT_com">
<meta name="twitter:card" content="summary_large_image">
<meta property="og:image" content="https://mf.b37mrtl.ru/files/demo/article.jpg">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script>window.rtConfig = {{"ads": true, "counter": "demo"}};</script>
</head>
<body class="Theme-isDefault">
<header class="Header-root">
  <div class="Header-logo"><a class="RTLink-root" href="/">RT</a></div>
  <nav class="Menu-root"><ul class="Menu-list">
    <li class="Menu-item"><a href="/news/">News</a></li><li class="Menu-item"><a href="/russia/">Russia &amp; FSU</a></li>
    <li class="Menu-item"><a href="/business/">Business</a></li><li class="Menu-item"><a href="/about-us/">About us</a></li>
  </ul></nav>
  <div class="Breaking-root"><span class="Breaking-label">Breaking</span><a class="Breaking-link" href="{esc(a['related'][-1][1])}">{esc(a['related'][-1][0])}</a></div>
</header>
<div class="TopBanner-root top-banners-with-mobile"><div id="adfox_163033544650936060">Advertisement</div></div>
<main class="App-content">
 <div class="Grid-root">
  <div class="Grid-title Grid-isSticky"><div class="HeaderVertical-root HeaderVertical-type_1">{esc(a['section'])}</div></div>
  <section class="Grid-container Grid-isWrap">
   <div class="Grid-block Grid-is3to4-sm_is1to1-xs_is1to1">
    <div class="Section-root Section-is1to1"><div class="Section-container Section-isRow-isTop"><div class="Section-block Section-is1to1 pr-24 pl-24 pt-24 pb-4">
     <div class="Breadcrumbs-root"><span class="Breadcrumbs-item"><a class="RTLink-root RTLink-breadcrumb RTLink-size_1" href="/"><span>Home</span></a></span><span class="Breadcrumbs-item Breadcrumbs-arrow"></span><span class="Breadcrumbs-item"><a class="RTLink-root RTLink-breadcrumb RTLink-size_1" href="{esc(a['section_url'])}"><span>{esc(a['section'])}</span></a></span></div>
    </div></div></div>
    <div class="Section-root Section-is1to1"><div class="Section-container Section-isRow-isTop"><div class="Section-block Section-is1to1">
     <div class="ArticleView-root ArticleView-is1to1"><div class="ArticleView-container"><div class="ArticleView-block ArticleView-is1to1-sm_is1to1-xs_is1to1 p-24">
      <div class="ArticleView-title"><h1 class="HeadLine-root HeadLine-type_2">{esc(a['title'])}</h1></div>
      <div class="ArticleView-timestamp-and-authors"><div class="ArticleView-authors"></div>
       <div class="ArticleView-timestamp"><span>{'Publicado:' if lang == 'es' else 'Published:'}</span> <time class="Timestamp-root Timestamp-isBlackColor" datetime="{a['published_iso']}">{esc(a['published_text'])}</time></div></div>
      <div class="ArticleView-shares"><div class="ShareBlock-isReact"><a class="ShareBlock-link" href="https://t.me/share/url?url={esc(url)}">Telegram</a><a class="ShareBlock-link" href="https://vk.com/share.php?url={esc(url)}">VK</a></div></div>
      {summary}
      <div class="ArticleView-coverWrap"><figure class="Cover-root"><div class="Cover-image"><picture class="Picture-root Picture-default"><img class="Picture-root Picture-default lazyload" src="/static/cover.jpg" alt=""></picture></div>
       <figcaption class="Cover-footer"><span class="Cover-caption"><span class="Cover-captionItem">{esc(a['caption'])}</span></span><span class="Cover-source"><span class="Cover-captionItem">Demo Photo / Demo</span></span></figcaption></figure></div>
      <div><div class="Text-root Text-type_5 ArticleView-text ViewText-root">
{body}
      </div></div>
      <div class="ArticleView-sharesInline"><span>{'Compartir:' if lang == 'es' else 'Share:'}</span><div class="ShareBlock-isReact"></div></div>
      <div class="ArticleView-tags"><div class="Tags-wrapper"><div class="Tags-root Tags-default" id="tags-js"><ul class="Tags-list Tags-default">{tags}</ul></div></div></div>
      <div class="ArticleView-rotatorBanners"><div class="CookiesBanner-isReact">We use cookies to improve your experience.</div></div>
      <div class="ArticleView-rsya"><div id="adfox_174039172114627785">Advertisement</div></div>
      <div class="ArticleView-comments"><div>Comments are closed for this article.</div></div>
      <div class="articles-listing">{related}</div>
     </div></div></div>
    </div></div></div>
   </div>
   <div class="Grid-block Grid-is1to4-sm_is1to1-xs_is1to1"><div class="Section-root"><div class="Banners-root"><div id="banner--player"></div><a class="ac_youtube_video--title" href="/on-air/">RT live 24/7</a></div></div></div>
  </section>
  <section class="Section-root"><div class="Section-title p-24 pb-0">{'Más noticias' if lang == 'es' else 'More stories'}</div><div class="Section-container">{cards}</div></section>
 </div>
</main>
<footer class="Footer-root"><div class="Copyright-text">© Autonomous Nonprofit Organization “TV-Novosti”, 2005–2026. All rights reserved.</div>
<ul class="Footer-links"><li><a href="/about-us/">About us</a></li><li><a href="/privacy-policy/">Privacy policy</a></li></ul></footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# Sputnik International: the 2020 b-article template
# --------------------------------------------------------------------------------------------
def sputnik_page(a: dict) -> str:
    url = a["url"]
    inject = (f'<div class="b-inject m-inject-min"><div class="b-inject__header">Related</div><a class="b-inject__title" '
              f'href="{esc(a["related"][0][1])}">{esc(a["related"][0][0])}</a></div>')
    body = paragraphs_html(a["paragraphs"], 2, inject)
    tags = "".join(f'<a href="/tags/{esc(t.lower().replace(" ", "_"))}/">{esc(t)}</a>' for t in a.get("tags", []))
    related = "".join(f'<li class="b-stories__item"><a class="b-stories__title" href="{esc(u)}">{esc(t)}</a></li>'
                      for t, u in a["related"])
    date_meta = ""
    refs_date = ""
    if a.get("published_iso"):
        date_meta = (f'<meta content="{a["published_iso"]}" itemprop="datePublished" name="pubdate">\n'
                     f'<meta content="{a["published_iso"]}" itemprop="dateCreated">')
        refs_date = f'<time class="b-article__refs-date" datetime="{a["published_iso"]}">{esc(a["published_text"])}</time>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(a['title'])} - Sputnik International</title>
<meta name="description" content="{esc(a['description'])}">
<meta name="robots" content="all">
<meta name="analytics:site_domain" content="sputniknews.com">
<meta name="analytics:article_id" content="{a['id']}">
<meta name="analytics:rubric" content="{esc(a['rubric'])}">
<meta name="analytics:tags" content="{esc(', '.join(a.get('tags', [])))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="fb:app_id" content="000000000000000">
<link rel="amphtml" href="{esc(url.replace('sputniknews.com/', 'sputniknews.com/amp/'))}">
<link rel="canonical" href="{esc(url)}">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:type" content="article">
<meta property="og:description" content="{esc(a['description'])}">
<meta property="og:image" content="https://cdn1.img.sputniknews.com/images/demo/article.jpg">
<meta name="twitter:site" content="@SputnikInt">
<meta name="twitter:title" content="{esc(a['title'])}">
{date_meta}
<meta name="keywords" content="{esc(', '.join(a.get('tags', [])))}">
<script>var sputnikConfig = {{"article": {a['id']}}};</script>
</head>
<body class="site_int lang_eng">
<div class="b-breakingnews-double"><a href="{esc(a['related'][-1][1])}">{esc(a['related'][-1][0])}</a></div>
<div class="l-wrap l-header"><div class="b-header">
 <a class="b-header__logo m-inverse" href="/">Sputnik International</a>
 <ul class="b-header__nav"><li><a href="/world/">World</a></li><li><a href="/russia/">Russia</a></li><li><a href="/about_us/">About us</a></li></ul>
 <form class="b-header__nav-form"><input class="b-header__nav-form-text" type="text" placeholder="Search"></form>
 <div class="b-header__radio"><a href="/radio/">Listen Live</a></div>
</div></div>
<div class="l-main m-oh"><div class="l-wrap m-clear l-wrapper"><div class="l-maincolumn m-static">
 <div class="b-article">
  <div class="b-article__header-title m-static"><h1>{esc(a['title'])}</h1></div>
  <div class="b-article__refs-text">
   <a class="b-article__refs-rubric" href="/{esc(a['rubric'])}/">{esc(a['section'])}</a>
   <div class="b-article__refs-credits">{refs_date}<span class="b-article__refs-getshorturl" id="getShortUrl">Get short URL</span></div>
   <div class="b-counters"><a class="b-counters-icon b-counters-icon_comments js-anchor" href="#comments"><i></i></a></div>
  </div>
  <div class="b-article__header-img"><img src="/images/demo/cover.jpg" alt=""><div class="b-article__header-copy">© Sputnik / Demo Photographer</div></div>
  <div class="article__google-news"><span class="google-news-title">Subscribe</span><a class="article__google-link" href="https://news.google.com/">Google News</a></div>
  <div class="b-article__lead"><p>{esc(a['description'])}</p></div>
  <div class="b-article__text">
{body}
  </div>
  <div class="b-banner m-banner-33 m-mb20 m-mt10"><div id="adfox_149691555449765961">Advertisement</div></div>
  <div class="social-likes-pane m-clear" id="share"><div class="facebook">Facebook</div><div class="twitter">Twitter</div><a class="social-likes-pane__eml" href="mailto:?subject=demo">Email</a>
   <div class="social-likes-pane__etc"><div class="social-likes-pane__etc-link">...</div><div class="social-likes-pane__etc-popup"><div class="reddit">Reddit</div><div class="telegram">Telegram</div><div class="whatsapp">WhatsApp</div></div></div></div>
  <div class="b-article__likes js-likes"><a class="b-article__likes-up js-likeUp">0</a><a class="b-article__likes-down js-likeDown">0</a></div>
  <div class="taboola-banner" id="taboola"><div id="taboola-below-article-thumbnails">Promoted stories</div></div>
  <div class="b-article__refs"><div class="b-article__refs-list"><div class="b-article__refs-item">
   <div class="b-article__refs-item-description">Tags:</div><div class="b-article__refs-item-title b-article__refs-tags">{tags}</div></div></div></div>
  <div class="comments section" id="comments"><div class="title"><a class="comment_rules" href="/docs/comments.html">Community standards</a></div>
   <div class="comments__tabs-header"><span class="comments__tabs-tab m-active">Comment via Sputnik</span><span class="comments__tabs-tab">Comment via Facebook</span></div></div>
 </div>
</div>
<div class="l-sidebar"><div class="b-block"><h6 class="b-block__title">News</h6><ul class="b-stories">{related}</ul></div>
 <div class="b-block"><h6 class="b-block__title">Recommended</h6><div class="b-multimedia-light__title">Multimedia: photos of the week</div></div></div>
</div></div>
<div class="l-footer"><div class="b-footer"><p>© Sputnik. All rights reserved.</p><a href="/docs/terms_of_use.html">Terms of use</a> <a href="/about_us/">About us</a></div></div>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# Republic World: the 2023 story template
# --------------------------------------------------------------------------------------------
def republic_page(a: dict) -> str:
    url = a["url"]
    read = (f'<div class="padbtm10">READ | <a href="{esc(a["related"][0][1])}">{esc(a["related"][0][0])}</a></div>'
            '<div class="txtcenter" id="div-gpt-ad-1679292747905-0">Advertisement</div>')
    body = paragraphs_html(a["paragraphs"], 1, read)
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "inLanguage": "en",
          "mainEntityOfPage": {"@type": "WebPage", "@id": url}, "headline": a["title"],
          "description": a["description"], "datePublished": a["published_iso"],
          "dateModified": a["modified_iso"],
          "author": [{"@type": "Person", "name": n} for n in a["authors"]],
          "publisher": {"@type": "Organization", "name": "Republic World"}}
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {"@id": "https://www.republicworld.com/", "name": "Home"}},
        {"@type": "ListItem", "position": 2, "item": {"@id": a["section_url"], "name": a["section"]}},
        {"@type": "ListItem", "position": 3, "item": {"@id": url, "name": a["title"]}}]}
    latest = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in a["related"])
    author = a["authors"][0] if a["authors"] else "Republic World"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(a['title'])} | Republic World</title>
<meta name="rating" content="General">
<meta property="category" content="News">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">
<meta name="description" content="{esc(a['description'])}">
<meta name="keywords" content="{esc(a['keywords'])}">
<meta name="news_keywords" content="{esc(a['keywords'])}">
<meta name="copyright" content="Republic World">
<link rel="canonical" href="{esc(url)}">
<link rel="amphtml" href="{esc(url.replace('republicworld.com/', 'republicworld.com/amp/'))}">
<meta itemprop="datePublished" content="{a['published_iso']}">
<meta itemprop="dateModified" content="{a['modified_iso']}">
<meta property="og:type" content="article">
<meta property="og:locale" content="en_US">
<meta property="og:title" content="{esc(a['title'])}">
<meta property="og:url" content="{esc(url)}">
<meta property="og:site_name" content="Republic World">
<meta property="og:description" content="{esc(a['description'])}">
<meta property="article:author" content="Republic World">
<meta name="twitter:site" content="@republic">
<meta name="twitter:title" content="{esc(a['title'])}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<script type="application/ld+json">{json.dumps(crumbs, ensure_ascii=False)}</script>
</head>
<body>
<div class="adTag"></div>
<header class="header"><a class="logo" href="/">Republic World</a>
 <div class="hamburger"><p class="ham-title">India News</p><div class="ham-sub-title"><a href="/india-news/">India</a></div><p class="ham-title">World News</p><div class="ham-sub-title"><a href="/world-news/">World</a></div></div>
</header>
<main class="font-roboto width100">
 <section class="padleft10 padright10 padtop15">
  <nav class="section1200 font14 font-roboto flex flexAlignItemsCenter" id="breadcrumb"><span><a href="/">Home</a></span> <span class="txtTruncate lineClip1"><a href="{esc(a['section_url'])}">{esc(a['section'])}</a></span> <span class="txtTruncate lineClip1"><a class="fontweight500 color-e60000" href="{esc(url)}">{esc(a['title'])}</a></span></nav>
 </section>
 <div class="bg-white padtop20 breaking-news-container"><div class="section1200"><div class="h-grid"><a id="breaking-news-url" href="{esc(a['related'][-1][1])}"><div class="breaking-wrapper"><div class="breaking-title"><span>Breaking News</span></div><div class="breaking-news"><span class="breaking-text">{esc(a['related'][-1][0])}</span></div></div></a></div></div></div>
 <section class="section1200 pad10"><div class="overflowHidden"><div class="padtop20 txtcenter minheight90" id="div-gpt-ad-1679292661229-0">Advertisement</div></div></section>
 <section><div class="section1200"><div id="paginated-stories"><div class="flex flexStoryResponsive flexJustifyBetween">
  <div class="story-container"><div class="story-wrapper"><div class="storyContent">
   <div class="storypicture">
    <span class="time-elapsed">Last Updated: <time>{esc(a['modified_text'])}</time></span>
    <h1 class="story-title">{esc(a['title'])}</h1>
    <h2 class="story-description">{esc(a['description'])}</h2>
    <div class="author"><div class="author-title"><div class="flex mrgntbauto"><div class="padright5">Written By</div><a href="/author/{esc(author.lower().replace(' ', '-'))}"><span>{esc(author)}</span></a></div>
     <div class="flex share-social-media"><a href="https://www.facebook.com/sharer/sharer.php?u={esc(url)}"><img src="/assets/images/fb.svg" alt="facebook"></a><a href="https://twitter.com/intent/tweet?url={esc(url)}"><img src="/assets/images/tw.svg" alt="twitter"></a></div></div></div>
    <img class="width100" src="/assets/images/demo-cover.jpeg" alt="">
    <p class="pad10 width758">Image: Republic World / Demo</p>
    <div class="txtcenter" id="div-gpt-ad-1679292714841-0">Advertisement</div>
   </div>
   <br>
   <div class="flex flexResponsive flexJustifyBetween flexAlignItemsStart"><div class="width100 storytext">
    <div class="mobiVisible"><div id="div-gpt-ad-1527837614517-0"></div></div>
    <div><div>
{body}
    </div></div>
    <div class="padbtm10">READ | <a href="{esc(a['related'][1][1])}">{esc(a['related'][1][0])}</a></div>
   </div></div>
   <div class="overflowHidden"><div class="ads-decorator width95 minheight90"><div id="div-gpt-ad-1679292791335-0">Advertisement</div></div></div>
   <div class="padtop20">First Published: <time>{esc(a['published_text'])}</time></div>
   <div class="mrgntop10 width100 storyfooter"><div class="storycomments mrgnbtm20"><div class="label-head width100 mrgnbtm10"><fieldset><legend>COMMENT</legend></fieldset></div><div class="fb-comments"></div></div></div>
   <div class="r-logo youtube-subscribe font-roboto"><div class="flex flexDirectionCol"><div>SUBSCRIBE TO US</div></div></div>
   <div class="r-logo watch-livetv font-roboto mrgntop15"><div>WATCH US LIVE</div><div class="font18 fontweight100">LIVE TV</div></div>
   <div class="follow-us padtop20"><div>FOLLOW US</div></div>
  </div></div></div>
  <div class="rightpane"><div class="rightpane-latest-news"><p>Latest News</p><ul>{latest}</ul></div><div class="pad3010 txtcenter" id="div-gpt-ad-1679292812867-0">Advertisement</div></div>
 </div></div>
 <div class="width100 storyfooter padtop30"><div id="taboola-below-article-thumbnails">Promoted content</div></div>
 </div></section>
</main>
<footer class="footerSection font-roboto letterSpacing0px"><div class="section1200"><div class="clr-D10014 font21 bold txtTransformUp">WORLD</div>
 <div class="items padtop15"><a href="/the-debate/"><div class="padleft0 padbtm5 color-black">The Debate</div></a><a href="/world-news/"><div class="padleft0 padbtm5 color-black">World News</div></a><a href="/about-us/"><div class="padleft0 padbtm5 color-black">About us</div></a></div>
 <p>© 2023 Republic World. All rights reserved.</p></div></footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# Non-article pages, feeds, sitemaps
# --------------------------------------------------------------------------------------------
def simple_page(title: str, canonical: str, links: list[tuple[str, str]], text: str) -> str:
    items = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in links)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<link rel="canonical" href="{esc(canonical)}"><meta property="og:type" content="website"></head>
<body><header><nav><a href="/">Home</a> <a href="/about-us/">About</a></nav></header>
<main><h1>{esc(title)}</h1><p>{esc(text)}</p><ul class="listing">{items}</ul></main>
<footer><p>Demo mirror page.</p></footer></body></html>
"""


def news_sitemap(entries: list[dict], publication: str) -> str:
    urls = []
    for e in entries:
        urls.append(f"""  <url>
    <loc>{esc(e['url'])}</loc>
    <lastmod>{e.get('published_iso') or '2024-01-01T00:00:00Z'}</lastmod>
    <news:news>
      <news:publication><news:name>{esc(publication)}</news:name><news:language>{e.get('lang', 'en')}</news:language></news:publication>
      <news:publication_date>{e.get('published_iso') or '2024-01-01T00:00:00Z'}</news:publication_date>
      <news:title>{esc(e['title'])}</news:title>
    </news:news>
  </url>""")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(urls) + "\n</urlset>\n")


def sitemap_index(locs: list[str]) -> str:
    entries = "\n".join(f"  <sitemap><loc>{esc(u)}</loc></sitemap>" for u in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + entries + "\n</sitemapindex>\n")


def rss(title: str, link: str, entries: list[dict]) -> str:
    items = "\n".join(f"""    <item>
      <title>{esc(e['title'])}</title>
      <link>{esc(e['url'])}</link>
      <guid isPermaLink="true">{esc(e['url'])}</guid>
      <description>{esc(e.get('description') or '')}</description>
    </item>""" for e in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{esc(title)}</title>
    <link>{esc(link)}</link>
    <description>{esc(title)}</description>
{items}
  </channel>
</rss>
"""


def write(path: Path, content, root: Path = MIRROR) -> None:
    path = root / path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def page_path(url: str) -> str:
    """Where a real-site URL's page lives in a site's mirror folder."""
    path = url.split("://", 1)[1].split("/", 1)[1]
    if not path or path.endswith("/"):
        return path + "index.html"
    if "." in path.rsplit("/", 1)[-1]:
        return path
    return path + "/index.html"


# --------------------------------------------------------------------------------------------
def load_seed(seeds: Path, name: str) -> dict:
    for path in seeds.glob(f"{name}_*.json"):
        return json.loads(path.read_text(encoding="utf-8"))
    raise SystemExit(f"seed {name} not found in {seeds}")


RT_RELATED = [
    ("Moscow lays out its security proposals in detail", "https://www.rt.com/russia/543700-security-proposals-detail/"),
    ("EU ministers meet to discuss energy prices", "https://www.rt.com/news/550100-eu-energy-prices-meeting/"),
]
ES_RELATED = [
    ("Descubren una nueva especie de rana en la Amazonía", "https://actualidad.rt.com/actualidad/600050-nueva-especie-rana-amazonia"),
    ("El precio del cobre alcanza un máximo anual", "https://actualidad.rt.com/actualidad/600060-precio-cobre-maximo-anual"),
]
SP_RELATED = [
    ("Overlap of Military Drills Poses No Threat for Region, Official Says", "https://sputniknews.com/world/201607031042300000/"),
    ("Ministers Discuss Grain Deliveries at Regional Summit", "https://sputniknews.com/20230314/ministers-grain-deliveries-summit-1108400000.html"),
]
RW_RELATED = [
    ("NASA extends contracts for station resupply missions", "https://www.republicworld.com/science/space/nasa-extends-contracts-for-station-resupply-missions-articleshow.html"),
    ("Monsoon expected to arrive early this year, says weather office", "https://www.republicworld.com/india-news/general-news/monsoon-expected-to-arrive-early-this-year-says-weather-office-articleshow.html"),
]


def build(seeds: Path = DEFAULT_SEEDS, root: Path = MIRROR) -> dict:
    """Writes the mirror; returns the articles it holds by site (used to check expectations)."""
    if root.exists():
        shutil.rmtree(root)
    s000, s001, s002, s003, s004 = (load_seed(seeds, n) for n in ("000", "001", "002", "003", "004"))

    def seed_article(seed, **extra):
        a = {"title": seed["title"], "description": seed.get("description"),
             "paragraphs": seed["text"].split("\n\n"), "tags": seed.get("tags") or []}
        a.update(extra)
        return a

    # ---- RT
    rt = [
        seed_article(s000, url="https://www.rt.com/russia/549908-nato-less-borders-kremlin/",
                     section="Russia & FSU", section_url="https://www.rt.com/russia/",
                     published_iso="2022-02-19T14:15:00Z", published_text="19 Feb, 2022 14:15",
                     caption="NATO Secretary General speaks at a conference. Demo caption.",
                     related=RT_RELATED),
        seed_article(s001, url="https://www.rt.com/russia/542001-nato-ready-punish-russia/",
                     section="Russia & FSU", section_url="https://www.rt.com/russia/",
                     published_iso="2021-12-01T18:49:00Z", published_text="1 Dec, 2021 18:49",
                     caption="Foreign ministers gather in Riga. Demo caption.", related=RT_RELATED),
        seed_article(s004, url="https://www.rt.com/russia/543928-military-response-nato-expansion/",
                     section="Russia & FSU", section_url="https://www.rt.com/russia/",
                     published_iso="2021-12-20T15:16:00Z", published_text="20 Dec, 2021 15:16",
                     caption="A Russian diplomat at a briefing. Demo caption.", related=RT_RELATED),
        dict(texts.ACTUALIDAD, url="https://actualidad.rt.com/actualidad/600123-radiotelescopio-andino-lluvia-meteoros",
             lang="es", section="Actualidad", section_url="https://actualidad.rt.com/actualidad",
             published_iso="2026-04-14T09:30:00Z", published_text="14 abr 2026 09:30 GMT",
             caption="Una antena del radiotelescopio. Imagen de demostración.", tags=["Ciencia", "Astronomía"],
             related=ES_RELATED),
    ]
    for a in rt:
        write(Path("rt") / page_path(a["url"]), rt_page(a))
    rt_broken = {"url": "https://www.rt.com/news/550000-truncated-page-demo/", "title": "Truncated page"}
    write(Path("rt") / page_path(rt_broken["url"]),
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>Truncated page")
    write("rt/robots.txt", "User-agent: *\nDisallow: /search/\nDisallow: /static/\n\n"
          "Sitemap: https://www.rt.com/sitemap.xml\nSitemap: https://www.rt.com/sitemap_news.xml\n")
    write("rt/sitemap.xml", sitemap_index(["https://www.rt.com/sitemap_news.xml"]))
    write("rt/sitemap_news.xml", news_sitemap([rt[0], rt[1], rt_broken], "RT"))
    write("rt/rss/index.xml", rss("RT - Daily news", "https://www.rt.com/", [rt[0]]))
    write("rt/feeds/all.rss/index.xml", rss("RT en Español", "https://actualidad.rt.com/", [rt[3]]))
    write("rt/russia/index.html", simple_page("Russia & FSU", "https://www.rt.com/russia/",
          [(a["title"], a["url"]) for a in rt[:3]] + [("About RT", "https://www.rt.com/about-us/")],
          "The latest news from Russia and the former Soviet Union."))
    write("rt/news/index.html", simple_page("World News", "https://www.rt.com/news/",
          [(rt[0]["title"], rt[0]["url"]), ("Tags: NATO", "https://www.rt.com/tags/nato/")], "World news."))
    write("rt/actualidad/index.html", simple_page("Actualidad", "https://actualidad.rt.com/actualidad",
          [(rt[3]["title"], rt[3]["url"])], "Las últimas noticias."))
    write("rt/about-us/index.html", simple_page("About RT", "https://www.rt.com/about-us/", [],
          "RT is an international news channel. This is the demo mirror's about page."))

    # ---- Sputnik
    sp = [
        seed_article(s002, url="https://sputniknews.com/russia/201607041042380000/", id="1042380000",
                     rubric="russia", section=s002.get("section") or "Russia",
                     published_iso="2016-07-04T12:41:00Z", published_text="12:41 GMT 04.07.2016",
                     related=SP_RELATED),
        dict(texts.SPUTNIK, url="https://sputniknews.com/20230315/arctic-port-record-winter-cargo-1108500000.html",
             id="1108500000", rubric="russia", section="Russia", tags=["Arctic", "shipping", "Russia"],
             published_iso="2023-03-15T10:05:00Z", published_text="10:05 GMT 15.03.2023", related=SP_RELATED),
    ]
    for a in sp:
        write(Path("sputnik") / page_path(a["url"]), sputnik_page(a))
    sp_broken = {"url": "https://sputniknews.com/20230316/broken-binary-page-1108500001.html", "title": "Broken page"}
    write(Path("sputnik") / page_path(sp_broken["url"]), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write("sputnik/robots.txt", "User-agent: *\nDisallow: /search/\nDisallow: /services/\n\n"
          "Sitemap: https://sputniknews.com/sitemap_article_index.xml\n")
    write("sputnik/sitemap_article_index.xml", sitemap_index(["https://sputniknews.com/sitemap_article.xml"]))
    write("sputnik/sitemap_article.xml", news_sitemap([sp[0], sp_broken], "Sputnik International"))
    write("sputnik/export/rss2/archive/index.xml", rss("Sputnik International", "https://sputniknews.com/", [sp[1]]))
    write("sputnik/russia/index.html", simple_page("Russia", "https://sputniknews.com/russia/",
          [(a["title"], a["url"]) for a in sp] + [("About us", "https://sputniknews.com/about_us/")], "Russia news."))
    write("sputnik/world/index.html", simple_page("World", "https://sputniknews.com/world/",
          [("Tags: NATO", "https://sputniknews.com/tags/nato/")], "World news."))
    write("sputnik/about_us/index.html", simple_page("About Sputnik", "https://sputniknews.com/about_us/", [],
          "Sputnik is a news agency. This is the demo mirror's about page."))

    # ---- Republic World
    rw = [
        seed_article(s003, url="https://www.republicworld.com/world-news/europe/nato-chief-jens-stoltenberg-says-wont-agree-to-keep-military-within-pre-1997-borders-articleshow.html",
                     section="World News", section_url="https://www.republicworld.com/world-news/",
                     authors=s003.get("authors") or [], keywords="NATO, Jens Stoltenberg, Russia, Europe",
                     published_iso="2022-01-17T13:13:00+05:30", modified_iso="2022-01-17T13:14:00+05:30",
                     published_text="17th January, 2022 13:13 IST", modified_text="17th January, 2022 13:14 IST",
                     related=RW_RELATED),
        dict(texts.REPUBLIC, url="https://www.republicworld.com/science/space/space-agency-schedules-second-landing-test-of-reusable-launch-vehicle-prototype",
             section="Science", section_url="https://www.republicworld.com/science/", authors=["Demo Reporter"],
             keywords="reusable launch vehicle, landing test, space agency",
             published_iso="2024-05-09T18:20:00+05:30", modified_iso="2024-05-09T18:45:00+05:30",
             published_text="9th May, 2024 18:20 IST", modified_text="9th May, 2024 18:45 IST", related=RW_RELATED),
    ]
    for a in rw:
        write(Path("republicworld") / page_path(a["url"]), republic_page(a))
    rw_broken = {"url": "https://www.republicworld.com/india-news/general-news/empty-page-served-by-a-broken-cache-articleshow.html",
                 "title": "Empty page"}
    write(Path("republicworld") / page_path(rw_broken["url"]), "")
    write("republicworld/robots.txt", "User-agent: *\nDisallow: /search\n\n"
          "Sitemap: https://www.republicworld.com/sitemap/news-sitemap.xml\n")
    write("republicworld/sitemap/news-sitemap.xml", news_sitemap([rw[0], rw[1], rw_broken], "Republic World"))
    write("republicworld/rss/world-news.xml", rss("Republic World - World News", "https://www.republicworld.com/", [rw[0]]))
    write("republicworld/world-news/index.html", simple_page("World News", "https://www.republicworld.com/world-news/",
          [(rw[0]["title"], rw[0]["url"]), ("Europe", "https://www.republicworld.com/world-news/europe/")], "World news."))
    write("republicworld/india-news/index.html", simple_page("India News", "https://www.republicworld.com/india-news/",
          [("About us", "https://www.republicworld.com/about-us/")], "India news."))
    write("republicworld/about-us/index.html", simple_page("About Republic World", "https://www.republicworld.com/about-us/", [],
          "Republic World is a news website. This is the demo mirror's about page."))

    return {"rt": rt, "sputnik": sp, "republicworld": rw,
            "broken": {"rt": rt_broken, "sputnik": sp_broken, "republicworld": rw_broken}}


if __name__ == "__main__":
    seeds_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEEDS
    result = build(seeds_dir)
    print(f"wrote {MIRROR}: " + ", ".join(f"{k}: {len(v)} articles" for k, v in result.items() if k != "broken"))

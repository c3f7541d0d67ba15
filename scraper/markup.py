"""Markup of the CMS families the parser knows (sites-notes.md): where title, sapo, body, byline and
captions sit, and which boxes inside a body are not the article. Tried after a site's own selectors
and before the generic heuristic of ``scraper.content``.
"""

from __future__ import annotations

# Known body containers of the CMS families, most specific first.
BODY_SELECTORS = (
    ".detail-content.afcbc-body",
    "[data-role=content]",
    ".detail-cmain",
    ".detail-content",
    ".zce-content-body",
    ".cms-body",
    ".article__body",
    "article.fck_detail",
    ".fck_detail",
    ".singular-content",
    ".dt-news__content",
    ".e-magazine__body",
    ".maincontent.main-content",
    ".content-detail .maincontent",
    "#content_detail",
    ".content-news-detail",
    ".news-content",
    ".article-content",
    ".article-body",
    ".post-content",
    ".entry-content",
    "[itemprop=articleBody]",
)
TITLE_SELECTORS = (
    "h1.detail-title",
    "h1.article__title",
    "h1.cms-title",
    "h1.title-detail",
    "h1.title-page",
    "h1.content-detail-title",
    "h1.dt-news__title",
    "article h1",
    "main h1",
    "h1",
)
LEAD_SELECTORS = (
    "[data-role=sapo]",
    ".detail-sapo",
    ".article__sapo",
    ".cms-desc",
    "p.description",
    ".content-detail-sapo",
    ".singular-sapo",
    ".dt-news__sapo",
    ".sapo",
    ".news-sapo",
    ".article-sapo",
    ".news-summary",
    ".post-sapo",
    "[class*=sapo]",
    ".lead",
    ".summary",
)
AUTHOR_SELECTORS = (
    "[data-role=author]",
    ".detail-author",
    ".author-info a.name",
    ".author-info .name",
    ".cms-author",
    ".article__author .name",
    ".article__author",
    ".author-name",
    ".dt-news__author",
    ".author_mail strong",
    ".bread-crumb-detail__author",
    "[rel=author]",
    "[itemprop=author] [itemprop=name]",
    ".byline",
    ".author",
    ".tac-gia",
    ".news-author",
    ".post-author",
    "[class*=author] .name",
    "[class*=author]",
)
# Boxes inside the body that are not the article: related news, video streams, ads, comments …
DROP_SELECTORS = (
    "script", "style", "noscript", "template", "iframe", "form", "button", "svg",
    "[type=RelatedNewsBox]", "[type=RelatedOneNews]", ".VCObjectBoxRelatedNewsItemSapo",
    "[type=VideoStream]", "[data-role=newsrelation]", ".readmore-body-box", "section.comment-wrapper",
    ".comment-wrapper", ".box-comment", "#comment", ".comments", ".related-news", ".box-related",
    ".relate-container", ".tin-lien-quan", ".box-tinlienquan", ".related", ".banner", ".ads", ".ad",
    ".advertisement", "[class*=adsbygoogle]", "[id^=admzone]", "[id^=adm-slot]", ".box-taitro",
    ".social-share", ".share-box", ".box-share", ".tags", ".tag-list", ".box-tag", ".box-app",
    ".download-app", ".footer-content", ".inner-article-ads", ".kbwscwl-relatedbox",
    "[data-role=readmore]", "[type=content-recommend]", "[class*=related]", "[class*=relate-]",
    "[class*=tinlienquan]", "[class*=lien-quan]", "[data-role=author]", ".cms-author", ".author",
    ".author-name", ".byline", ".article__author", ".news-author", ".post-author",
    # the title and the byline when a site's body selector is a wide column (plo's ".l-content")
    "h1", ".article__meta", ".cms-date", "[data-role=publishdate]", ".detail-time", ".article__sapo",
    ".cms-desc", ".detail-sapo", "[data-role=sapo]",
)
CAPTION_SELECTORS = (
    "figcaption",
    ".PhotoCMS_Caption",
    ".image-caption",
    ".caption",
    ".photo-caption",
    ".img-caption",
    ".Image",
    ".desc_image",
)

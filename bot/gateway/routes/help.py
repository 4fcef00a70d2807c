"""The help centre's pages: `/help` lists the articles, `/help/<slug>` shows one (the
link the assistant gives with a help-centre answer, actions/help_centre.py).

Public like the chat page, so limited per client address; a slug is validated before it
names a file, and an unknown one is a 404 page.
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, html

from ground.web.clients import client_address
from bot.gateway.help_pages import article_page, index_page, missing_page
from ground.web.ratelimit import limited
from company.help_articles import find_article, load_articles

help_centre = Blueprint("help_centre")


@help_centre.get("/help")
async def help_index(request: Request) -> HTTPResponse:
    await limited(request.app.ctx.help_limit, client_address(request))
    articles = await asyncio.to_thread(load_articles)
    return html(index_page(articles))


@help_centre.get("/help/<slug:str>")
async def help_article(request: Request, slug: str) -> HTTPResponse:
    await limited(request.app.ctx.help_limit, client_address(request))
    article = await asyncio.to_thread(find_article, slug)  # None for anything not a slug
    if article is None:
        return html(missing_page(), status=404)
    return html(article_page(article))

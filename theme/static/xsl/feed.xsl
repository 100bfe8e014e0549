<?xml version="1.0" encoding="UTF-8"?>
<!-- A browser shows an Atom or RSS feed of the site as a readable page with this
     stylesheet (the feed's xml-stylesheet processing instruction names it; feed readers
     ignore it): what a feed is, the address to copy into a reader, the latest stories.
     XSLT 1.0, the version browsers run. Text is copied with value-of, never unescaped:
     a feed's HTML content is not shown here, only headlines, dates and summaries. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat" indent="yes"/>

  <!-- This file's folder as the feed links it ("../theme/xsl/" from feeds/all.atom.xml): the
       page's stylesheet is found from there, relative to the feed, on any address. -->
  <xsl:variable name="pi" select="/processing-instruction('xml-stylesheet')[contains(., 'text/xsl')]"/>
  <xsl:variable name="theme" select="substring-before(substring-after($pi, 'href=&quot;'), 'feed.xsl&quot;')"/>
  <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>

  <xsl:template match="/">
    <xsl:apply-templates select="atom:feed | rss/channel"/>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="format" select="'Atom'"/>
      <xsl:with-param name="lang" select="@xml:lang"/>
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="subtitle" select="atom:subtitle"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
      <xsl:with-param name="home" select="atom:link[@rel='alternate']/@href"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="rss/channel">
    <xsl:call-template name="page">
      <xsl:with-param name="format" select="'RSS'"/>
      <xsl:with-param name="lang" select="language"/>
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="subtitle" select="description"/>
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
      <xsl:with-param name="home" select="link"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="page">
    <xsl:param name="format"/>
    <xsl:param name="lang"/>
    <xsl:param name="title"/>
    <xsl:param name="subtitle"/>
    <xsl:param name="self"/>
    <xsl:param name="home"/>
    <html lang="{$lang}">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> · web feed</title>
        <link rel="stylesheet" href="{$theme}../css/feed.css"/>
      </head>
      <body>
        <header class="masthead">
          <p class="site-name"><a href="{$home}"><xsl:value-of select="$title"/></a></p>
        </header>
        <main id="main">
          <h1><span class="kicker">Web feed (<xsl:value-of select="$format"/>)</span><xsl:text> </xsl:text><xsl:value-of select="$title"/></h1>
          <p class="lede"><xsl:value-of select="$subtitle"/></p>
          <section class="subscribe" aria-labelledby="subscribe">
            <h2 id="subscribe">Follow this feed</h2>
            <p>This page is a web feed: the latest stories, in a form that a feed reader app
              checks for you, so that new stories come to you without a visit to the site.
              Any feed reader will do; many email programs read feeds too.</p>
            <p><label for="feed-url">To subscribe, copy this address into your feed reader:</label></p>
            <p><input id="feed-url" class="feed-url" type="text" readonly="readonly" value="{$self}"/></p>
            <p><a href="{$home}">Read these stories on the site instead</a></p>
          </section>
          <section aria-labelledby="latest">
            <h2 id="latest">Latest stories</h2>
            <xsl:choose>
              <xsl:when test="atom:entry | item">
                <ol class="items">
                  <xsl:apply-templates select="atom:entry | item"/>
                </ol>
              </xsl:when>
              <xsl:otherwise><p>No stories in this feed yet.</p></xsl:otherwise>
            </xsl:choose>
            <xsl:call-template name="archives"/>
          </section>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="when" select="(atom:published | atom:updated)[1]"/>
    <li>
      <article class="card">
        <h3 class="headline"><a href="{atom:link[not(@rel) or @rel='alternate'][1]/@href}"><xsl:value-of select="atom:title"/></a></h3>
        <p class="meta">
          <time datetime="{$when}">
            <xsl:value-of select="number(substring($when, 9, 2))"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="substring($months, 3 * number(substring($when, 6, 2)) - 2, 3)"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="substring($when, 1, 4)"/>
          </time>
          <xsl:if test="atom:category">
            <xsl:text> · </xsl:text><xsl:value-of select="atom:category[1]/@label"/>
          </xsl:if>
        </p>
        <p class="summary"><xsl:value-of select="atom:summary"/></p>
      </article>
    </li>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <article class="card">
        <h3 class="headline"><a href="{link}"><xsl:value-of select="title"/></a></h3>
        <p class="meta">
          <!-- "Mon, 09 Aug 2021 00:00:00 +0000": the day, month and year. -->
          <span class="date"><xsl:value-of select="substring(pubDate, 6, 11)"/></span>
          <xsl:if test="category">
            <xsl:text> · </xsl:text><xsl:value-of select="category[1]"/>
          </xsl:if>
        </p>
        <p class="summary"><xsl:value-of select="description"/></p>
      </article>
    </li>
  </xsl:template>

  <!-- RFC 5005 archives: links to the older and newer documents of an edition's feed. -->
  <xsl:template name="archives">
    <xsl:variable name="links" select="atom:link[@rel='prev-archive' or @rel='next-archive' or (@rel='current' and ../atom:link[@rel='prev-archive' or @rel='next-archive'])]"/>
    <xsl:if test="$links">
      <nav class="pager" aria-label="Feed archive">
        <xsl:for-each select="$links">
          <a href="{@href}">
            <xsl:choose>
              <xsl:when test="@rel='prev-archive'">Older stories</xsl:when>
              <xsl:when test="@rel='next-archive'">Newer stories</xsl:when>
              <xsl:otherwise>The latest stories</xsl:otherwise>
            </xsl:choose>
          </a>
        </xsl:for-each>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

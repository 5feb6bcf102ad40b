"""The Drupal 7 themes of the province portal's sub-sites, other than the
city portal's current one (which is pages.py).

Each theme is a class built from a `SiteInfo` that renders an article page,
a section listing, the home page and the simple pages (404...), and says in
`facts()` what its pages show that the truth record depends on: the date
line (`published_text`), whether a machine-readable timestamp is there
(`published_at` with seconds or to the minute) and the breadcrumb's section.
The article body (editor HTML, markup.py) does not depend on the theme.

    city2012  the city portal (/tpls/) from 2012 to 2018: a layout table
    sotttt    Sở Thông tin và Truyền thông: Zen-like HTML5 (since 2014)
    caoloc    UBND huyện Cao Lộc: a commercial "portal" theme (since 2016)
    bqlkkt    Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn: a
              home-made theme without Drupal's node and field wrappers
"""

# zhanqun's messages in English (`--lang en`). Every id is also in zh-CN.ftl.

## Summaries and labels
summary-problems = { $errors } error(s), { $warnings } warning(s)
label-error = error
label-warning = warning
label-help = help
build-done = built { $sites } site(s), { $pages } page(s), { $syndicated } syndicated item(s), { $resources } resource(s), { $files } file(s), { $warnings } warning(s) in { $took } -> { $out }
build-unchanged = { $unchanged } of { $files } file(s) unchanged since the previous build
build-interrupted = interrupted: nothing was written, the previous output is unchanged
build-failed = build failed: nothing was written, the previous output is unchanged
build-nothing-replaced = nothing was replaced: the previous output is unchanged
build-progress = rendering
check-done = checked { $sites } site(s), { $pages } page(s): { $errors } error(s), { $warnings } warning(s)
serve-ready = built { $sites } site(s) in { $ms }ms; serving (Ctrl+C to stop):
serve-rebuilt = rebuilt { $what } in { $ms }ms
serve-everything = everything
serve-browser-failed = could not open a browser ({ $error }); open { $url } yourself
serve-kept = the last good pages stay served; fix the file and save it again
serve-hidden = { $count } more problem(s) in other sites (run serve without --site to see them)
serve-fix-first = serve: fix these errors first
serve-port-busy = port { $port } is already in use (another `zhanqun serve`?)
serve-port-help = stop the other program, or choose another port: zhanqun serve --port { $next }
lang-unknown = unknown language `{ $lang }`; use zh-CN or en

## Front matter hints
hint-fullwidth-colon = a full-width colon `：` after `{ $key }`: YAML needs the half-width `:` followed by a space
hint-fullwidth-colon-help = write `{ $fixed }`
hint-fullwidth-punct = full-width `{ $char }` in the YAML syntax of the front matter; only values may use it
hint-date-fixed = write `{ $fixed }` (dates are written YYYY-MM-DD)
hint-bool = `{ $value }` is not true or false
hint-bool-help = write `{ $fixed }`

## Front matter, read in one go
fm-unknown-key = unknown key `{ $key }`
fm-unknown-key-in = unknown key `{ $key }` in `{ $parent }`
fm-remove-key = remove this key
yaml-detail = { $detail }
yaml-help = check the YAML syntax here; put a value that contains `:`, `#`, `[` or `{"{"}` in quotes
fm-did-you-mean = did you mean `{ $best }`?
fm-allowed-keys = allowed keys: { $keys }
fm-not-integer = `{ $key }` must be a whole number, not `{ $value }`
fm-not-integer-help = write a number such as `{ $key }: 10`

title-missing = missing `title` (标题)
title-missing-help = add a line such as `title: 我校举行春季运动会` to the front matter
date-invalid = invalid `{ $key }` `{ $value }`
date-help = write `2024-05-01`, `2024-05-01 09:30` or an RFC 3339 date such as `2024-05-01T09:30:00+08:00`; years have four digits (1000-9999)

## Links
link-no-page = link to `@/{ $id }/{ $path }`: site `{ $id }` has no `{ $path }`
link-no-page-help = the path is relative to the content folder of `{ $id }`, e.g. `@/{ $id }/news/2024-05-01-title.md`
link-relative-missing = link to `{ $dest }`: there is no `{ $rel }` in this site's content
link-relative-missing-help = check the file name; links are relative to the Markdown file's folder
link-unknown-site = link to unknown site `{ $id }`
link-unknown-site-help = write `@/<site-id>/<path in its content>.md`; site ids are the file names in `sites/`
link-address-help = this is the page's address; link its Markdown file instead: `{ $target }`

## Page checks
date-missing = missing `date` (发布日期)
date-missing-help = add `date: 2024-05-01` to the front matter, or name the file `2024-05-01-<slug>.md`
created-invalid = invalid `created` (生成日期) `{ $value }`
slug-invalid = invalid `slug` `{ $slug }`
slug-help = use words, digits and `-`, such as `sports-day`
too-long = `{ $key }` ({ $label }) has { $count } characters; at most { $max } are allowed
too-long-help = shorten it and put the rest in the body of the page
syndicate-section = `syndicate` only works in `news/` and `notices/`, not in `{ $section }/`
syndicate-section-help = remove `syndicate`; 信息公开 and plain pages are never syndicated
syndicate-down-notices = `syndicate: down` (下发) only works for notices
syndicate-down-notices-help = move the page to `notices/`, or use `syndicate: up` to offer news to the bureaus above
syndicate-down-bureau = `syndicate: down` (下发) is only for city and county bureau sites
syndicate-down-bureau-help = remove it: a school's notices stay on the school site; `syndicate: up` offers news to the bureaus above
syndicate-invalid = invalid `syndicate` `{ $value }`
syndicate-invalid-help = use `up` (报送 to the bureaus above) or `down` (下发 to the sites below)
front-matter-missing = missing front matter: the file must start with a `---` line
front-matter-missing-help = start the file with `---`, then `title: ...` and `date: ...` lines, then `---`
front-matter-open = the front matter is never closed
front-matter-open-help = add a line `---` after the last front matter line
facet-missing = missing `{ $key }` ({ $label }) on a resource page
facet-missing-help = add `{ $key }:` with one of: { $allowed }
facet-unknown = `{ $key }` ({ $label }) `{ $value }` is not in the vocabulary
facet-unknown-help = allowed values: { $allowed } (set `vocabularies` in cluster.yaml to change them)
attachment-outside = attachment `{ $file }` lies outside the content repository
attachment-outside-help = put attachments in the page's folder (or below it) and give the path relative to the page
attachment-missing = attachment `{ $file }` does not exist (looked for `{ $rel }`)
attachment-missing-help = check the file name; `files:` paths are relative to the Markdown file

## Inspection and the link check
inspect-no-icp = the footer of `{ $site }` has no ICP number (ICP备案号)
inspect-no-icp-help = add `footer: {"{"}icp: 鄂ICP备XXXXXXXX号{"}"}` to this site or to its parent
inspect-empty-section = section `{ $section }` ({ $title }) of `{ $site }` has no pages
inspect-empty-section-help = publish content in it, or remove the section
inspect-stale-section = section `{ $section }` ({ $title }) of `{ $site }` was last updated { $date } ({ $age } days ago, more than { $days })
inspect-stale-section-help = the inspection rules expect regular updates: publish new content or close the section
inspect-undated = the page has no date (`date` or `updated`)
inspect-undated-help = add `updated: 2024-05-01` so readers know how current it is
inspect-image-alt = image `{ $url }` has no alt text
inspect-image-alt-help = describe the image: `![学生在操场上进行接力赛](photo.jpg)`
link-on-pages = { $message } (on { $count } pages, e.g. `{ $first }`)
link-broken-help = fix the link, or create the page or heading it points to
link-no-such-page = link to `{ $url }`: no such page in the cluster
link-no-anchor = link to `{ $url }`: the page has no heading or element with id `{ $id }`

usage-site-unknown = --site: unknown site `{ $id }`{ $hint }; sites are the file names in `sites/`
usage-site-hint = { " " }(did you mean `{ $best }`?)
output-refused = the output folder `{ $folder }` { $what }
output-refused-help = the output folder is replaced on every build: choose one outside the content, sites and themes folders, such as `public`
output-contains-cluster = contains the cluster itself
output-overlaps = overlaps the content folder of site `{ $site }`
output-inside = is inside `{ $folder }/`
sites-unreadable = cannot read the sites folder: { $error }
sites-unreadable-help = a cluster needs `sites/<id>.yaml` for each site; is `--root` right?
site-file-yml = site files must end in `.yaml`
site-file-yml-help = rename the file to `.yaml`
site-id-invalid = invalid site id `{ $id }`
site-id-invalid-help = site ids (the file name) use only lowercase letters a-z, digits and `-`
sites-none = the cluster has no sites
sites-none-help = add a file `sites/<id>.yaml` for each site

## Site files
site-parent-unknown = unknown parent site `{ $parent }`
site-parent-help = `parent` must be the id of a file in `sites/`: { $ids }
site-no-root = the cluster has no root site: every site has a `parent`
site-no-root-help = remove `parent` from the city bureau's site file
site-second-root = a second root site: `{ $site }` has no `parent`, but `{ $root }` is the root
site-second-root-help = add `parent: { $root }` (or the id of its county bureau)
site-parent-cycle = parent cycle: { $cycle }
site-parent-cycle-help = each site's `parent` must lead up to the root site
site-kind-order = a { $kind } site cannot sit under the { $parent_kind } site `{ $parent }`
site-kind-order-help = counties sit under the city, schools under a county or the city, studios under a school or a bureau
site-content-missing = content folder `{ $folder }` does not exist
site-content-missing-help = check the path in `content:`, or remove it to use `content/<site-id>/`
site-content-not-yet = content folder `{ $folder }` does not exist yet: the site is built without content
site-content-not-yet-help = create `{ $folder }/news/` and write the site's first news
site-name-missing = missing `name` (网站名称)
site-name-missing-help = add a line such as `name: 江北区实验小学`
site-kind-missing = missing `kind` (网站类型)
site-kind-missing-help = add `kind:` with one of city, county, school, studio
menu-one-target = menu item { $n } (`{ $name }`) needs exactly one of `url` and `section`
menu-one-target-help = write `{"{"}name: 新闻动态, section: news{"}"}` or `{"{"}name: 上级网站, url: https://...{"}"}`
menu-scheme = menu item { $n } (`{ $name }`): `{ $scheme }:` addresses are not allowed
menu-scheme-help = write a path such as `/about/`, or an `http`, `https`, `mailto` or `tel` address
site-code-bureau = `footer.site_code` (网站标识码) `{ $code }` is only for bureau sites
site-code-bureau-help = remove `site_code` from this school or studio site

## --help
help-about = zhanqun (站群): build a whole education website cluster from Markdown.
help-lang = Language of messages and help: zh-CN or en [default: ZHANQUN_LANG, else the cluster's `language`, else zh-CN]
help-build = Build every site of the cluster (or the named ones) into the output folder.
help-serve = Serve every site locally, rebuilding and reloading open tabs on every change.
help-check = Find every problem of the cluster (content, links, inspection rules) without writing.
help-root = The cluster folder (holding `cluster.yaml` and `sites/`).
help-out = Output folder [default: `output` of cluster.yaml, else `public`].
help-site = Build only this site (repeatable); the other sites' output is kept.
help-drafts = Include pages marked `draft: true`.
help-base-url = Serve every site from `<URL>/<id>/`, e.g. `http://127.0.0.1:8000` for a local preview.
help-verbose = Print the time each step took.
help-port = Port to listen on.
help-bind = Address to listen on; the default keeps the preview on this computer.
help-open = Open the root site in the default browser.
help-serve-verbose = Print every request and the time each rebuild step took.
help-format = How to print problems.
help-today = Judge the inspection rules on this date (YYYY-MM-DD) instead of today.
help-check-site = Report only this site's problems (repeatable), besides those of the whole cluster.
help-strict = Treat warnings (broken links among them) as errors.
help-help = Print help.
help-version = Print the version.

## Files, themes, templates, manifests and the output folder
cannot-read = cannot read: { $error }
not-utf8 = the file is not valid UTF-8
not-utf8-help = save the file as UTF-8 (in Notepad: Save As → Encoding UTF-8)
section-index-misplaced = `_index.md` only works at the root of a content repository or of a section
section-index-misplaced-help = move it to the section folder, e.g. `news/_index.md`
section-index-no-front-matter = missing front matter: `_index.md` must start with a `---` line
section-index-no-front-matter-help = write `---`, `title: 新闻动态`, `---` at the top
paginate-zero = `paginate` must be at least 1
paginate-zero-help = remove it for the default of 20
symlink-loop = symbolic link loop
walk-error-help = remove the link or fix the file permissions
link-outside = symbolic link to `{ $target }` leads outside the content repository
link-outside-help = copy the file into the repository instead of linking to it; links are followed only inside the repository
file-name-backslash = the file name contains `\`, which browsers read as `/`
file-name-backslash-help = rename the file without `\`
file-name-not-utf8 = the file name `{ $name }` is not valid UTF-8
file-name-not-utf8-help = rename the file; names written on Windows in GBK must be saved again as UTF-8
duplicate-url = the URL `/{ $path }` is also the URL of `{ $other }`
duplicate-url-help = rename one of the files or give one a different `slug`
no-org-code = cannot number this disclosure item: site `{ $id }` has no `org_code` (索引号前段码)
no-org-code-help = add `org_code:` to `sites/{ $id }.yaml`, or give each disclosure page an `index_no`
theme-loop = themes extend each other in a loop: { $chain }
theme-loop-help = remove `extends` from one of them
theme-missing = theme `{ $name }` does not exist
theme-missing-help = set `theme:` in `{ $file }` or `cluster.yaml` to an existing theme
template-while = { " " }(while rendering `{ $page }`)
template-error = template error: { $message }{ $rendering }
template-error-help = fix the template; the Tera documentation describes its syntax
template-check-help = check the theme's templates
manifest-help = run a full build (`zhanqun build` without `--site`) first, so every site has a manifest
manifest-unreadable = cannot read the manifest of site `{ $id }`: { $error }
manifest-corrupt = the manifest of site `{ $id }` is corrupt: { $error }
manifest-foreign = the manifest of site `{ $id }` is from another version or site
base-url-not-absolute = `base_url` `{ $url }` is not an absolute http(s) URL
base-url-no-host = `base_url` `{ $url }` has no host
base-url-help = write a full URL such as `https://www.example.edu.cn/`
timezone-invalid = invalid `timezone` `{ $tz }`
timezone-help = write an offset from UTC such as `+08:00`
build-not-ours-help = choose another output folder with `--out`, or empty this one yourself
write-failed = cannot write `{ $path }`: { $error }
write-not-ours = refusing to replace `{ $path }`: it is not empty and was not written by zhanqun (no `.zhanqun` file in it)
bad-day = `{ $value }` is not a date like 2024-05-01
serve-cannot-open = cannot open `{ $path }`: { $error }
serve-cannot-listen = cannot listen on { $addr }: { $error }
serve-cannot-watch = cannot watch the cluster: { $error }

## Content sources (git)
git-not-installed = the `git` program is not installed (needed for `content: {"{"}git: …{"}"}`)
git-fetch-failed = site `{ $id }`: cannot fetch `{ $url }`: { $cause }
git-fetch-cached = site `{ $id }`: cannot fetch `{ $url }` ({ $cause }); building the cached commit { $commit }
git-fetch-failed-help = check the URL and your network; `git clone URL` must work with your credentials
git-unknown-ref = `{ $url }` has no branch, tag or commit `{ $reference }`
git-unknown-ref-help = write an existing branch, tag or full commit id in `ref:`; `zhanqun build --refresh` fetches new ones
git-checkout-failed = cannot check out commit { $commit }: { $cause }
git-no-path = the repository has no folder `{ $path }` at commit { $commit }
git-no-path-help = `path:` is the folder of the repository that holds the content, e.g. `path: content`
git-path-outside = `path: { $path }` leaves the repository
git-path-outside-help = write a folder inside the repository, without `..`
standalone-no-site = name the site this repository is the content of: `--site ID`, or `site: ID` in `{ $file }`
standalone-fetch-failed = cannot fetch the cluster `{ $url }`: { $cause }
help-cluster = Check this content repository against a cluster (a git URL or a folder); the site comes from `--site` or zhanqun-site.yaml.
help-refresh = Fetch the git content sources again, for the newest commit of each branch.
edit-url-scheme = `edit_url` `{ $url }` is not an http(s) address
edit-url-help = write the web editor's address with `{"{"}ref{"}"}` and `{"{"}path{"}"}`, e.g. `https://gitee.com/jb/site/edit/{"{"}ref{"}"}/{"{"}path{"}"}`

## zhanqun new
new-bad-id = `{ $id }` is not a site id: use lowercase letters, digits and `-`, e.g. `jb-binjiang-primary`
new-site-exists = site `{ $id }` exists already (`sites/{ $id }.yaml`)
new-no-parent = there is no site `{ $parent }` to be the parent{ $hint }
new-kind-order = a { $kind } cannot sit under a { $parent_kind }: counties sit under the city, schools under a county or the city, studios under a school or a bureau
new-page-usage = `{ $target }` is not `<site-id>/<section>/<name>`, e.g. `jb-binjiang-primary/news/运动会`
new-page-git = the content of `{ $id }` is a git repository: write the page in that repository
new-page-section = there is no section `{ $section }`{ $hint }; create its folder first for a section of your own
new-cluster-broken = the cluster has errors; fix them first: { $problem }
new-exists = `{ $path }` exists already; nothing was written
new-site-done = created site `{ $id }`:
new-page-done = created `{ $path }` (a draft: delete the `draft: true` line when it is ready; `zhanqun serve --drafts` previews it)
help-new = Create a new site or page from the templates.
help-new-site = Create a site: its site file and a content skeleton.
help-new-page = Create a page with the front matter its section needs (a draft).
help-id = The new site's id (file name in sites/), e.g. jb-binjiang-primary.
help-kind = city, county, school or studio.
help-parent = The parent site's id.
help-name = The site's name, e.g. 江北区滨江小学.
help-target = <site-id>/<section>/<name>, e.g. jb-binjiang-primary/news/运动会.
help-title = The page's title (default: the name).

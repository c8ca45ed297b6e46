# zhanqun's messages in English (`--lang en`). Every id is also in zh-CN.ftl.

## Summaries and labels
summary-problems = { $errors } error(s), { $warnings } warning(s)
label-error = error
label-warning = warning
label-help = help
build-done = built { $sites } site(s), { $pages } page(s), { $syndicated } syndicated item(s), { $resources } resource(s), { $files } file(s) in { $took } -> { $out }
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
link-address-help = this is the page's address; link its Markdown file instead: `{ $target }`

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
help-strict = Treat warnings as errors.
help-help = Print help.
help-version = Print the version.

# zhanqun 的中文消息（默认）。每条消息在 en.ftl 中都有对应的英文。

## 汇总与标签
summary-problems = { $errors } 个错误，{ $warnings } 个警告
label-error = 错误
label-warning = 警告
label-help = 提示
build-done = 已生成 { $sites } 个站点、{ $pages } 个页面（转载条目 { $syndicated } 条，资源 { $resources } 个，共 { $files } 个文件），警告 { $warnings } 条，用时 { $took }，输出目录：{ $out }
build-unchanged = 与上次生成相比，{ $files } 个文件中有 { $unchanged } 个没有变化
build-interrupted = 已中断：没有写入任何文件，原来的输出保持不变
build-failed = 生成失败：没有写入任何文件，原来的输出保持不变
build-nothing-replaced = 没有替换任何文件，原来的输出保持不变
build-progress = 正在渲染
check-done = 已检查 { $sites } 个站点、{ $pages } 个页面：{ $errors } 个错误，{ $warnings } 个警告
serve-ready = 已生成 { $sites } 个站点，用时 { $ms } 毫秒；预览已启动（按 Ctrl+C 停止）：
serve-rebuilt = 已重新生成 { $what }，用时 { $ms } 毫秒
serve-everything = 全部站点
serve-browser-failed = 无法打开浏览器（{ $error }），请手动打开 { $url }
serve-kept = 浏览器里仍是上一次正确的页面；请改正文件后再保存一次
serve-hidden = 其他站点还有 { $count } 个问题（不加 --site 运行 serve 可以看到）
serve-fix-first = 请先改正以上错误，再启动预览
serve-port-busy = 端口 { $port } 已被占用（可能已经有一个 zhanqun serve 在运行）
serve-port-help = 请先关闭占用端口的程序，或换一个端口：zhanqun serve --port { $next }
lang-unknown = 不认识的语言“{ $lang }”；请用 zh-CN 或 en

## Front matter 提示
hint-fullwidth-colon = “{ $key }”后面是中文冒号“：”，YAML 要求用英文冒号“:”，冒号后再加一个空格
hint-fullwidth-colon-help = 改成 `{ $fixed }`
hint-fullwidth-punct = front matter 的 YAML 格式符号用了中文标点“{ $char }”；中文标点只能出现在值里
hint-date-fixed = 改成 `{ $fixed }`（日期的写法是 年-月-日，例如 2026-11-05）
hint-bool = “{ $value }”不是 true 或 false
hint-bool-help = 改成 `{ $fixed }`

## 一次找出 front matter 的全部问题
fm-unknown-key = 不认识的键“{ $key }”
fm-unknown-key-in = “{ $parent }”里不认识的键“{ $key }”
fm-remove-key = 删掉这个键
yaml-detail = YAML 格式有误：{ $detail }
yaml-help = 检查这一行的写法：冒号、逗号用英文半角，冒号后加空格；值里有 `:`、`#`、`[` 或 `{"{"}` 时给整个值加引号
fm-did-you-mean = 是不是想写“{ $best }”？
fm-allowed-keys = 可以使用的键：{ $keys }
fm-not-integer = “{ $key }”应当是整数，而不是“{ $value }”
fm-not-integer-help = 写成整数，例如 `{ $key }: 10`

title-missing = 缺少标题（title）
title-missing-help = 在 front matter 中加一行，例如 `title: 我校举行春季运动会`
date-invalid = “{ $key }”的值“{ $value }”不是有效的日期
date-help = 日期写成 `2024-05-01` 或 `2024-05-01 09:30`，也可以写带时区的日期，如 `2024-05-01T09:30:00+08:00`；年份为四位数（1000–9999）

## 链接
link-no-page = 链接“@/{ $id }/{ $path }”指向的页面不存在：站点“{ $id }”中没有“{ $path }”
link-no-page-help = 路径从站点“{ $id }”的内容目录算起，例如 `@/{ $id }/news/2024-05-01-标题.md`
link-relative-missing = 链接“{ $dest }”指向的文件不存在：本站内容里没有“{ $rel }”
link-relative-missing-help = 检查文件名；链接路径相对于这篇 Markdown 文件所在的目录
link-unknown-site = 链接指向不存在的站点“{ $id }”
link-unknown-site-help = 写成 `@/站点标识/内容目录中的路径.md`；站点标识就是 sites/ 目录里的文件名
link-address-help = 这是页面的网址；请改为链接它的 Markdown 文件：`{ $target }`

## 页面检查
date-missing = 缺少发布日期（date）
date-missing-help = 在 front matter 中加 `date: 2024-05-01`，或把文件命名为 `2024-05-01-名称.md`
created-invalid = 生成日期（created）“{ $value }”不是有效的日期
slug-invalid = 网址名称（slug）“{ $slug }”不能使用
slug-help = 用文字、数字和连字符 `-`，例如 `sports-day`
too-long = { $label }（{ $key }）有 { $count } 个字，最多只能 { $max } 个字
too-long-help = 请缩短，把其余内容写进正文
syndicate-section = 只有 news/ 和 notices/ 里的文章可以转载（syndicate），{ $section }/ 里的不行
syndicate-section-help = 删掉 `syndicate`；信息公开和普通页面不转载
syndicate-down-notices = 下发（syndicate: down）只能用于通知公告
syndicate-down-notices-help = 把文章移到 notices/，或者改用 `syndicate: up` 向上级报送新闻
syndicate-down-bureau = 只有市、区县教育局网站可以下发通知（syndicate: down）
syndicate-down-bureau-help = 删掉这一行：学校的通知只在学校网站显示；`syndicate: up` 可以向上级报送新闻
syndicate-invalid = 转载方式（syndicate）“{ $value }”不认识
syndicate-invalid-help = 写 `up`（向上级报送）或 `down`（向下级下发）
front-matter-missing = 缺少文章信息（front matter）：文件第一行必须是 `---`
front-matter-missing-help = 文件开头写一行 `---`，接着写 `title: ...` 和 `date: ...`，再写一行 `---`
front-matter-open = 文章信息（front matter）没有结束
front-matter-open-help = 在最后一行文章信息后面加一行 `---`
facet-missing = 资源缺少{ $label }（{ $key }）
facet-missing-help = 加一行 `{ $key }:`，值为以下之一：{ $allowed }
facet-unknown = { $label }（{ $key }）“{ $value }”不在规定的名称里
facet-unknown-help = 可以使用：{ $allowed }（要修改名称表，请设置 cluster.yaml 中的 vocabularies）
attachment-outside = 附件“{ $file }”不在内容仓库里
attachment-outside-help = 把附件放在文章所在的目录（或其子目录）中，并写相对于文章的路径
attachment-missing = 附件“{ $file }”不存在（找的是“{ $rel }”）
attachment-missing-help = 检查文件名；`files:` 中的路径相对于这篇 Markdown 文件

## 检查规则和链接检查
inspect-no-icp = 站点“{ $site }”的页脚没有 ICP 备案号
inspect-no-icp-help = 在本站或上级站点的站点文件中加 `footer: {"{"}icp: 鄂ICP备XXXXXXXX号{"}"}`
inspect-empty-section = 站点“{ $site }”的栏目“{ $title }”（{ $section }）还没有内容
inspect-empty-section-help = 在栏目里发布内容，或者删除这个栏目
inspect-stale-section = 站点“{ $site }”的栏目“{ $title }”（{ $section }）最后更新于 { $date }，已有 { $age } 天未更新（超过 { $days } 天）
inspect-stale-section-help = 检查规则要求栏目定期更新：请发布新内容，或者关闭这个栏目
inspect-undated = 页面没有日期（date 或 updated）
inspect-undated-help = 加一行 `updated: 2024-05-01`，让读者知道内容是否最新
inspect-image-alt = 图片“{ $url }”没有替代文字
inspect-image-alt-help = 用一句话描述图片：`![学生在操场上进行接力赛](photo.jpg)`
link-on-pages = { $message }（共 { $count } 个页面，例如“{ $first }”）
link-broken-help = 改正链接，或者建立它指向的页面或标题
link-no-such-page = 链接“{ $url }”指向的页面在站群中不存在
link-no-anchor = 链接“{ $url }”指向的页面中没有标识为“{ $id }”的标题或元素

usage-site-unknown = --site：站点“{ $id }”不存在{ $hint }；站点标识就是 sites/ 目录里的文件名
usage-site-hint = （是不是想写“{ $best }”？）
output-refused = 输出目录“{ $folder }”{ $what }
output-refused-help = 每次生成都会替换输出目录：请选一个不在内容、sites、themes 目录里的目录，例如 public
output-contains-cluster = 包含了整个站群目录
output-overlaps = 与站点“{ $site }”的内容目录重叠
output-inside = 位于 { $folder }/ 目录里
sites-unreadable = 无法读取 sites 目录：{ $error }
sites-unreadable-help = 站群需要为每个站点建一个 sites/站点标识.yaml；请确认 --root 是否正确
site-file-yml = 站点文件的扩展名必须是 .yaml
site-file-yml-help = 把文件改名为 .yaml 结尾
site-id-invalid = 站点标识“{ $id }”不能使用
site-id-invalid-help = 站点标识（文件名）只能用小写字母 a-z、数字和连字符 -
sites-none = 站群里还没有站点
sites-none-help = 为每个站点在 sites/ 目录中建一个 站点标识.yaml 文件

## 站点文件
site-parent-unknown = 上级站点“{ $parent }”不存在
site-parent-help = parent 必须是 sites/ 目录中某个站点文件的名称：{ $ids }
site-no-root = 站群没有总站点：每个站点都写了 parent
site-no-root-help = 删掉市教育局站点文件中的 parent
site-second-root = 出现了第二个总站点：“{ $site }”没有写 parent，而总站点是“{ $root }”
site-second-root-help = 加一行 `parent: { $root }`（或者它所属区县教育局的标识）
site-parent-cycle = 上级关系绕成了圈：{ $cycle }
site-parent-cycle-help = 每个站点的 parent 一级一级往上，最后必须到达总站点
site-kind-order = { $kind } 类站点不能放在 { $parent_kind } 类站点“{ $parent }”下面
site-kind-order-help = 区县放在市下面，学校放在区县或市下面，名师工作室放在学校或教育局下面
site-content-missing = 内容目录“{ $folder }”不存在
site-content-missing-help = 检查 content: 中的路径，或者删掉这一行，使用默认的 content/站点标识/
site-content-not-yet = 内容目录“{ $folder }”还不存在：这个站点暂时没有内容
site-content-not-yet-help = 建立 `{ $folder }/news/`，写第一条新闻
site-name-missing = 缺少网站名称（name）
site-name-missing-help = 加一行，例如 `name: 江北区实验小学`
site-kind-missing = 缺少网站类型（kind）
site-kind-missing-help = 加一行 `kind:`，值为 city、county、school 或 studio 之一
menu-one-target = 第 { $n } 个菜单项（“{ $name }”）必须有 url 或 section 中的一个，且只能有一个
menu-one-target-help = 写成 `{"{"}name: 新闻动态, section: news{"}"}` 或 `{"{"}name: 上级网站, url: https://...{"}"}`
menu-scheme = 第 { $n } 个菜单项（“{ $name }”）：不允许使用 { $scheme }: 地址
menu-scheme-help = 写站内路径，例如 `/about/`，或者 http、https、mailto、tel 地址
site-code-bureau = 网站标识码（footer.site_code）“{ $code }”只用于教育局网站
site-code-bureau-help = 从学校或名师工作室的站点文件中删掉 site_code

## --help
help-about = zhanqun（站群）：用 Markdown 生成整个教育网站群。
help-lang = 提示和帮助使用的语言：zh-CN 或 en［默认：环境变量 ZHANQUN_LANG，其次是站群的 language 设置，再次是 zh-CN］
help-build = 生成站群的全部站点（或指定的站点），写入输出目录。
help-serve = 在本机预览全部站点；文件一有改动就重新生成，并刷新打开的页面。
help-check = 检查站群的全部问题（内容、链接、检查规则），不写入任何文件。
help-root = 站群所在的目录（包含 cluster.yaml 和 sites/）。
help-out = 输出目录［默认：cluster.yaml 中的 output，否则为 public］。
help-site = 只生成这个站点（可重复使用）；其他站点的输出保持不变。
help-drafts = 包括标记为 draft: true 的草稿。
help-base-url = 把每个站点放在 <URL>/<站点标识>/ 下，例如本机预览用 http://127.0.0.1:8000。
help-verbose = 显示每个步骤的用时。
help-port = 监听的端口。
help-bind = 监听的地址；默认只允许本机访问预览。
help-open = 在默认浏览器中打开总站点。
help-serve-verbose = 显示每个请求和每次重新生成各步骤的用时。
help-format = 问题的输出格式。
help-today = 按这个日期（年-月-日）判断检查规则，而不是今天。
help-check-site = 只报告这个站点的问题（可重复使用），以及整个站群共有的问题。
help-strict = 把警告（包括失效链接）当作错误处理。
help-help = 显示帮助。
help-version = 显示版本号。

## Files, themes, templates, manifests and the output folder
cannot-read = 无法读取：{ $error }
not-utf8 = 文件不是 UTF-8 编码
not-utf8-help = 把文件另存为 UTF-8 编码（记事本：另存为 → 编码选“UTF-8”）
section-index-misplaced = `_index.md` 只能放在内容目录的最上层或栏目目录里
section-index-misplaced-help = 把它移到栏目目录里，例如 `news/_index.md`
section-index-no-front-matter = 缺少文件头：`_index.md` 的第一行必须是 `---`
section-index-no-front-matter-help = 在文件开头写三行：`---`、`title: 新闻动态`、`---`
paginate-zero = `paginate`（每页条数）至少是 1
paginate-zero-help = 删掉这一行，就按默认每页 20 条
symlink-loop = 符号链接绕成了一个圈
walk-error-help = 删掉这个链接，或者修改文件权限
link-outside = 符号链接指向“{ $target }”，在内容仓库之外
link-outside-help = 请把文件复制到仓库里，不要用链接；仓库外的链接一律不跟随
file-name-backslash = 文件名里有“\”，浏览器会把它当成“/”
file-name-backslash-help = 给文件改名，去掉“\”
file-name-not-utf8 = 文件名“{ $name }”不是 UTF-8 编码
file-name-not-utf8-help = 给文件重新命名；在 Windows 上用 GBK 编码保存的文件名需要改存为 UTF-8
duplicate-url = 网址“/{ $path }”和“{ $other }”的网址重复了
duplicate-url-help = 给其中一个文件改名，或者给它设置不同的 `slug`
no-org-code = 无法给这条信息公开编号：站点“{ $id }”没有设置 `org_code`（索引号前段码）
no-org-code-help = 在 `sites/{ $id }.yaml` 里加上 `org_code:`，或者给每条信息公开写上 `index_no`（索引号）
theme-loop = 主题之间的 `extends` 绕成了一个圈：{ $chain }
theme-loop-help = 删掉其中一个主题的 `extends`
theme-missing = 主题“{ $name }”不存在
theme-missing-help = 把 `{ $file }` 或 `cluster.yaml` 里的 `theme:` 改成已有的主题
template-while = （生成“{ $page }”时）
template-error = 模板错误：{ $message }{ $rendering }
template-error-help = 修改模板；模板的写法见 Tera 文档
template-check-help = 请检查主题的模板
manifest-help = 请先完整生成一次（`zhanqun build`，不加 `--site`），让每个站点都有清单
manifest-unreadable = 无法读取站点“{ $id }”的清单：{ $error }
manifest-corrupt = 站点“{ $id }”的清单已损坏：{ $error }
manifest-foreign = 站点“{ $id }”的清单来自其他版本或其他站点
base-url-not-absolute = `base_url` 的值“{ $url }”不是以 http:// 或 https:// 开头的完整网址
base-url-no-host = `base_url` 的值“{ $url }”缺少域名
base-url-help = 请写完整的网址，例如 `https://www.example.edu.cn/`
timezone-invalid = `timezone` 的值“{ $tz }”无效
timezone-help = 请写与 UTC 的时差，例如北京时间写 `+08:00`
build-not-ours-help = 用 `--out` 换一个输出目录，或者自己清空这个目录
write-failed = 无法写入“{ $path }”：{ $error }
write-not-ours = 不会替换“{ $path }”：这个目录不是空的，也不是 zhanqun 生成的（里面没有 `.zhanqun` 文件）
bad-day = “{ $value }”不是 2024-05-01 这样的日期
serve-cannot-open = 无法打开“{ $path }”：{ $error }
serve-cannot-listen = 无法在 { $addr } 上监听：{ $error }
serve-cannot-watch = 无法监视站群目录的变化：{ $error }

## Content sources (git)
git-not-installed = 没有安装 `git` 程序（`content: {"{"}git: …{"}"}` 需要它）
git-fetch-failed = 站点“{ $id }”：无法获取“{ $url }”：{ $cause }
git-fetch-cached = 站点“{ $id }”：无法获取“{ $url }”（{ $cause }），先用缓存中的版本 { $commit } 生成
git-fetch-failed-help = 请检查网址和网络；用你的账号运行 `git clone 网址` 应当能成功
git-unknown-ref = “{ $url }”中没有叫“{ $reference }”的分支、标签或提交
git-unknown-ref-help = 在 `ref:` 里写已有的分支、标签或完整的提交号；`zhanqun build --refresh` 会获取新的分支和标签
git-checkout-failed = 无法取出提交 { $commit }：{ $cause }
git-no-path = 在提交 { $commit } 中，仓库里没有“{ $path }”这个目录
git-no-path-help = `path:` 是仓库里存放内容的目录，例如 `path: content`
git-path-outside = `path: { $path }` 跑到了仓库外面
git-path-outside-help = 请写仓库里面的目录，不要用 `..`
standalone-no-site = 请说明这个仓库是哪个站点的内容：加 `--site 站点标识`，或在 `{ $file }` 里写 `site: 站点标识`
standalone-fetch-failed = 无法获取站群“{ $url }”：{ $cause }
help-cluster = 对照站群检查这个内容仓库（站群的 git 网址或目录）；站点由 --site 或 zhanqun-site.yaml 指定。
help-refresh = 重新获取用 git 管理的内容，取各分支的最新提交。
edit-url-scheme = `edit_url` 的值“{ $url }”不是 http(s) 网址
edit-url-help = 写仓库网页编辑器的网址，用 `{"{"}ref{"}"}` 和 `{"{"}path{"}"}` 占位，例如 `https://gitee.com/jb/site/edit/{"{"}ref{"}"}/{"{"}path{"}"}`

## zhanqun new
new-bad-id = “{ $id }”不能用作站点标识：只能用小写字母、数字和“-”，例如 `jb-binjiang-primary`
new-site-exists = 站点“{ $id }”已经存在（`sites/{ $id }.yaml`）
new-no-parent = 没有叫“{ $parent }”的站点可作上级{ $hint }
new-kind-order = { $kind } 不能放在 { $parent_kind } 下面：区县教育局在市教育局下，学校在区县或市教育局下，名师工作室在学校或教育局下
new-page-usage = “{ $target }”的格式不对，应为“站点标识/栏目/名称”，例如 `jb-binjiang-primary/news/运动会`
new-page-git = “{ $id }”的内容在单独的 git 仓库里：请在那个仓库里新建页面
new-page-section = 没有“{ $section }”这个栏目{ $hint }；自建栏目请先建好它的目录
new-cluster-broken = 站群配置有错误，请先改正：{ $problem }
new-exists = “{ $path }”已经存在，没有写入任何文件
new-site-done = 已创建站点“{ $id }”：
new-page-done = 已创建“{ $path }”（草稿：写好后删掉 `draft: true` 这一行才会发布；用 `zhanqun serve --drafts` 可以先预览）
help-new = 按模板新建站点或页面。
help-new-site = 新建站点：写好站点配置和内容目录的骨架。
help-new-page = 新建页面，带上所在栏目需要的文件头（草稿）。
help-id = 新站点的标识（sites/ 里的文件名），例如 jb-binjiang-primary。
help-kind = 站点类型：city、county、school 或 studio。
help-parent = 上级站点的标识。
help-name = 站点名称，例如 江北区滨江小学。
help-target = 站点标识/栏目/名称，例如 jb-binjiang-primary/news/运动会。
help-title = 页面标题（默认用名称）。

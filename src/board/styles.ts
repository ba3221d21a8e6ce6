// The board's stylesheet, inlined (one request less on a slow link; about 3 KB). Mobile first: laid
// out for WeCom's in-app browser at 375 px, and simply centred on a wider screen.
export const BOARD_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2329;background:#f2f3f5}
a{color:#245bdb;text-decoration:none}
.top{background:#245bdb;color:#fff;padding:12px 16px}
.top h1{margin:0;font-size:18px;line-height:1.4}
.top h1 small{font-size:12px;font-weight:normal;opacity:.85;margin-left:6px}
.top p{margin:2px 0 0;font-size:12px;opacity:.9}
.top a{color:#fff;text-decoration:underline}
.top form.logout{display:inline;margin:0}
.top form.logout button{border:0;padding:0;background:none;color:#fff;font:inherit;text-decoration:underline;cursor:pointer}
main{padding:4px 10px 24px;max-width:960px;margin:0 auto}
section{background:#fff;border-radius:8px;padding:12px;margin:8px 0}
h2{font-size:16px;margin:0 0 8px}
h2 small,h3 small{font-weight:normal;color:#646a73;font-size:12px;margin-left:4px}
h3{font-size:14px;margin:12px 0 4px}
p{margin:4px 0}
.muted{color:#646a73;font-size:12px}
.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:6px}
.tile{background:#f5f6f7;border-radius:6px;padding:6px 4px;text-align:center}
.tile b{display:block;font-size:20px;line-height:1.3}
.tile span{font-size:12px;color:#646a73}
.tile.t-r b{color:#d83931}.tile.t-y b{color:#b26a00}
.facts{margin:8px 0 0;padding:0;list-style:none;font-size:13px}
.facts li{padding:2px 0}
.warn{color:#d83931}
.legend{font-size:12px;color:#646a73;margin:0 0 6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 3px 0 8px;vertical-align:-1px}
.legend i:first-child{margin-left:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table.grid{border-collapse:separate;border-spacing:2px;font-size:12px}
.grid th{font-weight:normal;text-align:left;white-space:nowrap}
.grid thead th{text-align:center;color:#646a73;min-width:24px}
.grid thead th:first-child{text-align:left;position:sticky;left:0;background:#fff}
.grid tbody th{position:sticky;left:0;background:#fff;max-width:7.5em;overflow:hidden;text-overflow:ellipsis;padding-right:4px}
.grid td{min-width:24px;height:24px;text-align:center;border-radius:3px;color:#fff;font-size:11px}
.c-r{background:#f54a45}.c-y{background:#ffc60a}.c-g{background:#34c724}.c-n{background:#eff0f1}
.c-y{color:#5c3c00}
button.more{display:block;width:100%;margin-top:8px;padding:8px;border:1px solid #dee0e3;background:#fff;border-radius:6px;font-size:14px;color:#245bdb}
.chart{width:100%;min-height:120px;color:#8f959e;font-size:12px}
ol.list{list-style:none;margin:0;padding:0}
ol.list>li{padding:6px 0;border-top:1px solid #eff0f1}
ol.list>li:first-child{border-top:0}
.row{display:flex;justify-content:space-between;gap:8px;align-items:baseline}
.row .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row .name small{margin-left:6px}
.late{color:#d83931;white-space:nowrap;font-size:13px}
.soon{color:#b26a00;white-space:nowrap;font-size:13px}
.sub{font-size:12px;color:#646a73}
.tag{display:inline-block;padding:0 5px;border-radius:3px;font-size:12px;line-height:18px;color:#fff;margin-right:4px;vertical-align:1px}
.tag.c-n{color:#646a73}
.num{display:inline-block;min-width:18px;height:18px;line-height:18px;border-radius:9px;background:#245bdb;color:#fff;font-size:11px;text-align:center;margin-right:4px}
ol.list>li.item{padding:10px 0}
.item .title{font-weight:600;word-break:break-word}
.history{list-style:none;margin:6px 0 0;padding:0 0 0 10px;border-left:2px solid #dee0e3}
.history li{margin:4px 0;font-size:13px}
.history time{color:#646a73;font-size:12px;margin-right:4px}
blockquote{margin:3px 0;padding:4px 8px;background:#f5f6f7;border-radius:4px;white-space:pre-wrap;word-break:break-word}
.ok{color:#2b8a3e}
.links a{display:block;padding:8px 0;border-top:1px solid #eff0f1}
.links a:first-child{border-top:0}
.notice{text-align:center;padding:48px 16px}
.notice h1{font-size:18px;margin:0 0 8px}
footer{text-align:center;color:#8f959e;font-size:12px;padding:0 12px 24px}
`;

/* jpage: renders a JCMS column's datastore and fetches further groups from dataproxy.jsp */
function jpage(opt) {
  var box = document.getElementById(opt.target);
  var xml = box.querySelector('script[type="text/xml"]').textContent;
  var records = [];
  function read(text) {
    var re = /<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g, m, out = [];
    while ((m = re.exec(text))) { out.push(m[1]); }
    return out;
  }
  function show(page) {
    var start = (page - 1) * opt.perPage, pages = Math.ceil(opt.totalRecord / opt.perPage);
    var render = function () {
      var html = '<ul class="xxgk_list">' + records.slice(start, start + opt.perPage).join('') + '</ul><div class="page">';
      for (var i = 1; i <= pages; i++) { html += i == page ? '<span class="cur">' + i + '</span> ' : '<a href="#" data-p="' + i + '">' + i + '</a> '; }
      list.innerHTML = html + '</div>';
    };
    if (records.length >= Math.min(start + opt.perPage, opt.totalRecord)) { render(); return; }
    var q = Object.keys(opt.params).map(function (k) { return k + '=' + encodeURIComponent(opt.params[k]); }).join('&');
    fetch(opt.proxyUrl + '?startrecord=' + (records.length + 1) + '&endrecord=' + (start + opt.perPage) + '&perpage=' + opt.perPage + '&' + q)
      .then(function (r) { return r.text(); }).then(function (text) { records = records.concat(read(text)); render(); });
  }
  var list = document.createElement('div');
  box.appendChild(list);
  list.addEventListener('click', function (ev) { var p = ev.target.getAttribute('data-p'); if (p) { ev.preventDefault(); show(+p); } });
  records = read(xml);
  show(1);
}

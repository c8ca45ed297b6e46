/* 长者模式：a larger, high-contrast page, switched by the button in the top bar and
   remembered in this browser (localStorage) for every page of the cluster on this host.
   Without JavaScript the button stays hidden and pages read as usual. */
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".elder-toggle");
  if (!button) return;
  var show = function () {
    var on = root.classList.contains("elder");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "退出长者模式" : "长者模式";
  };
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    var on = root.classList.toggle("elder");
    try { localStorage.setItem("zq-elder", on ? "1" : "0"); } catch (e) {}
    show();
  });
})();

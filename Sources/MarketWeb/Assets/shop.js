// The shop's only script, an enhancement: choosing a province or a commune at checkout refreshes
// the form (the commune list, the shipping fee) without a second tap. Without it the page works the
// same with the "Tính phí vận chuyển" button. And on a phone, search results fold their filter panel
// (open without the script), so that the items come first; its title says how many filters are on.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (!field.matches || !field.matches("select[data-autosubmit]")) return;
  var form = field.form;
  var refresh = form && form.querySelector("[data-refresh]");
  if (refresh) {
    if (field.id === "tinh") {
      var commune = form.querySelector("#xa");
      if (commune) commune.value = "";
    }
    refresh.click();
  }
});

// Below 48rem the filters sit above the items in one column (shop.css .results): fold them when there
// are items to show. One tap on "Lọc kết quả" opens them again.
(function () {
  var panel = document.querySelector("details[data-fold-on-phone][open]");
  if (!panel || !window.matchMedia || !window.matchMedia("(max-width: 47.99rem)").matches) return;
  if (document.querySelector(".products")) panel.removeAttribute("open");
})();

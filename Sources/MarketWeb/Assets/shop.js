// The shop's only script, an enhancement: choosing a province or a commune at checkout refreshes
// the form (the commune list, the shipping fee) without a second tap. Without it the page works the
// same with the "Tính phí vận chuyển" button.
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

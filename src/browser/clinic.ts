// /console/clinic: the form works without this script; it greys out the hours of a day off and
// adds review-link rows without a round trip.
document.querySelectorAll<HTMLElement>(".day").forEach((day) => {
  const box = day.querySelector<HTMLInputElement>('input[type="checkbox"]');
  const sync = () => {
    day.classList.toggle("off", !box?.checked);
    day.querySelectorAll<HTMLInputElement>("input.hours").forEach((time) => {
      time.disabled = !box?.checked;
    });
  };
  box?.addEventListener("change", sync);
  sync();
});

const links = document.getElementById("links");
const add = document.getElementById("add-link") as HTMLButtonElement | null;
const MAX_LINKS = 8;
add?.addEventListener("click", () => {
  const last = links?.lastElementChild;
  if (!links || !last) return;
  const row = last.cloneNode(true) as HTMLElement;
  row.querySelectorAll("input").forEach((input) => {
    input.value = "";
    input.removeAttribute("aria-invalid");
    input.removeAttribute("placeholder");
  });
  row.querySelectorAll(".error").forEach((error) => error.remove());
  row.querySelectorAll("[aria-describedby]").forEach((input) => input.removeAttribute("aria-describedby"));
  links.append(row);
  row.querySelector("input")?.focus();
  if (links.children.length >= MAX_LINKS) add.disabled = true;
});

// Clicking (or pressing Enter on) a body outline records the point in the form's hidden
// x/y fields, selects front or back, and shows where the mark will go.
for (const svg of document.querySelectorAll(".app-body-map__svg[data-side]")) {
  const place = (x, y) => {
    document.getElementById("mark-x").value = x.toFixed(1);
    document.getElementById("mark-y").value = y.toFixed(1);
    const radio = document.querySelector(`input[name="side"][value="${svg.dataset.side}"]`);
    if (radio) radio.checked = true;
    document.querySelectorAll(".app-body-map__pending").forEach((old) => old.remove());
    const dot = document.createElementNS("http://www.w3.org/2000/svg", "ellipse");
    dot.setAttribute("class", "app-body-map__pending");
    dot.setAttribute("cx", x);
    dot.setAttribute("cy", y);
    dot.setAttribute("rx", "2.4");
    dot.setAttribute("ry", "1.2");
    dot.setAttribute("fill", "#1d70b8");
    svg.appendChild(dot);
    document.getElementById("site").focus();
  };
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    place(((event.clientX - box.left) / box.width) * 100, ((event.clientY - box.top) / box.height) * 100);
  });
  svg.addEventListener("keydown", (event) => {
    if (event.key === "Enter") place(50, 50);
  });
}

// Builds core/static/build/ from the installed npm packages; nothing is fetched.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const out = join(root, "core", "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "core", "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
if (result.css.includes("GDS Transport")) {
  throw new Error("The compiled stylesheet still names GDS Transport");
}
writeFileSync(join(out, "app.css"), result.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
copyFileSync(
  join(autocomplete, "accessible-autocomplete.min.js"),
  join(out, "accessible-autocomplete.min.js"),
);
console.log(`Built ${out}`);

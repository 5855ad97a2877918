// Validates every Kubernetes manifest under the given folders against the Kubernetes JSON schemas
// shipped in the kubernetes-models package (offline). Exits non-zero on the first invalid file.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.ya?ml$/.test(name) && !/^kustomization\.ya?ml$/.test(name) ? [path] : [];
  });
}

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    throw new Error(`unknown kind ${apiVersion}/${kind}`);
  }
}

// --collect <repo root> <base>: copy each service's generated manifest to <base>/services first.
let args = process.argv.slice(2);
if (args[0] === "--collect") {
  const [, root, base] = args;
  mkdirSync(join(base, "services"), { recursive: true });
  for (const service of ["profile", "eligibility", "decision", "content"]) {
    const generated = join(root, `${service}-service`, "target", "kubernetes", "kubernetes.yml");
    if (!existsSync(generated)) {
      console.error(`missing ${generated}: build ${service}-service first`);
      process.exit(1);
    }
    copyFileSync(generated, join(base, "services", `${service}-service.yml`));
  }
  args = [base];
}

let checked = 0;
let failed = 0;
for (const dir of args) {
  for (const file of files(dir)) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      const obj = doc.toJS();
      if (!obj) continue;
      const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
      try {
        if (doc.errors.length) throw new Error(doc.errors[0].message);
        const Model = await modelFor(obj.apiVersion ?? "", obj.kind ?? "");
        new Model(obj).validate();
        checked++;
      } catch (e) {
        failed++;
        console.error(`INVALID ${where}\n  ${e.message}`);
      }
    }
  }
}
console.log(`validated ${checked} Kubernetes objects, ${failed} invalid`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);

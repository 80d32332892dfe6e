// Prints the recorded dependency-rule violations (.dependency-cruiser-known-violations.json)
// after a passing `depcruise --ignore-known`, so the debt stays visible in every
// lint run instead of hiding behind a count. New violations fail depcruise itself.
const known = require('../.dependency-cruiser-known-violations.json');
const byRule = new Map();
for (const v of known) byRule.set(v.rule.name, [...(byRule.get(v.rule.name) ?? []), v]);
for (const [rule, list] of byRule) {
  console.log(`known (${list.length}) ${rule}:`);
  for (const v of list) console.log(`  ${v.from} → ${v.to}`);
}

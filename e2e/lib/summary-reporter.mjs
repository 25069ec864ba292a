// A node:test reporter that ends the run with one plain line: "e2e: N passed, N failed, N skipped",
// counting leaf tests only (a test with subtests repeats its children's outcome).
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const children = []; // children[n]: tests completed at nesting n since their parent last completed
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const n = event.data.nesting ?? 0;
    const hadChildren = (children[n + 1] ?? 0) > 0;
    children[n + 1] = 0;
    children[n] = (children[n] ?? 0) + 1;
    if (hadChildren && event.type === "test:pass") continue;
    if (hadChildren && event.type === "test:fail" && event.data.details?.error?.failureType === "subtestsFailed") continue;
    if (event.data.skip || event.data.todo) skipped++;
    else if (event.type === "test:pass") passed++;
    else failed++;
  }
  yield `\ne2e: ${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}

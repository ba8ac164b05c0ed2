// npm run bench -- NAME [args]: runs bench/NAME.ts's main(args).
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error("usage: npm run bench -- NAME [--quick]   (NAME is a file in bench/, e.g. scale)");
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { main?: (args: string[]) => Promise<void> };
if (typeof mod.main !== "function") {
  console.error(`bench/${name}.ts has no exported main(args)`);
  process.exit(2);
}
await mod.main(args);

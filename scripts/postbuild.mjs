// Makes dist/cli.js executable and copies non-TypeScript assets next to the code.
import { chmodSync, existsSync } from "node:fs";

if (existsSync("dist/cli.js")) chmodSync("dist/cli.js", 0o755);

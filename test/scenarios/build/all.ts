import { APP_SCENARIOS } from "./defs-apps.js";
import { CONFIG_SCENARIOS } from "./defs-config.js";
import { INFRA_SCENARIOS } from "./defs-infra.js";
import { RUNTIME_SCENARIOS } from "./defs-runtime.js";
import { STUCK_SCENARIOS } from "./defs-stuck.js";
import type { ScenarioDef } from "./scenario.js";

export const ALL_SCENARIOS: ScenarioDef[] = [...APP_SCENARIOS, ...CONFIG_SCENARIOS, ...RUNTIME_SCENARIOS, ...INFRA_SCENARIOS, ...STUCK_SCENARIOS];

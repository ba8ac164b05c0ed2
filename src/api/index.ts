export * from "./common.js";
export * from "./diagnosis.js";
export * from "./incident.js";
export * from "./alert.js";
export * from "./snapshot.js";

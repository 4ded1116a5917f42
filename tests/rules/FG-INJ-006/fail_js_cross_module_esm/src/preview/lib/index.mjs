export * from "./http.mjs";

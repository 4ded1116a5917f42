export { router as downloads } from "./downloads";

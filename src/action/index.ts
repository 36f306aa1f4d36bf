/** The Action's entry (action.yml `main: dist/index.js`): it only runs main. */
import { run } from "./main.js";

await run();

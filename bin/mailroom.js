#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so there is no
// build step between `npm install` and `mailroom`.
import { register } from "tsx/esm/api";

// The AWS SDK warns on every run that its 2027 releases will need Node 22.
// Mailroom pins SDK versions that support Node 20, so the warning only
// clutters output people read; set the variable to "false" to see it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

register();
await import("../src/cli/main.ts");

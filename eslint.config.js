import js from "@eslint/js";
import tseslint from "typescript-eslint";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import globals from "globals";

export default tseslint.config(
  {
    // Generated code: ajv's standalone validators, written by npm run schemas (a test fails while stale).
    ignores: [
      "lib/",
      "dist/",
      "node_modules/",
      "fixtures/",
      "coverage/",
      "src/schema/validators.generated.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@eslint-community/eslint-comments/require-description": "error",
      "@eslint-community/eslint-comments/no-unused-disable": "error",
      "no-console": "error",
    },
  },
  {
    // A non-null assertion in shipped code needs a disable comment saying why it holds.
    files: ["src/**/*.ts"],
    ignores: ["src/**/*.test.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  {
    // A rule typed as plain Rule/PlanRule/LiveRule escapes the messageId and placeholder checks.
    files: ["src/policy/rules/*.ts"],
    ignores: ["src/policy/rules/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "TSTypeReference[typeName.name=/^(Rule|PlanRule|LiveRule)$/]",
          message:
            "Write the rule with defineRule / definePlanRule / defineLiveRule so its reports are typed.",
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);

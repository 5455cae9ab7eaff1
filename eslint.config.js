// @ts-check
import js from '@eslint/js';
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.orca/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  security.configs.recommended,
  {
    // Every finding of the security ruleset fails the lint: fixed, or suppressed in place with a reason.
    rules: {
      ...Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, 'error'])),
      // Flags every computed member access (`row[column]`), hundreds of them, nearly all over typed keys. The real
      // risk, prototype pollution from keys an attacker chose, is closed where untrusted JSON enters: bodies are
      // parsed with secure-json-parse (which refuses __proto__ and constructor.prototype) and stored objects are
      // never merged into prototypes (docs/SECURITY.md, "Static analysis").
      'security/detect-object-injection': 'off',
    },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Configuration is read once in platform/config; everything else receives it.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through platform/config.' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Type-aware rules that catch unsafe code: promises nobody awaits, `any` leaking into typed code, and values
    // of unchecked types spliced into template literals (the shape of SQL injection).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      // SQL built by splicing values into a template literal is how injection gets in: values go as parameters
      // ($1…). A splice into the SQL of query()/exec() may only be SQL text ORCA owns: an UPPER_CASE constant, a
      // choice between two literals, a builder call (columns(), positionalRows(), list.join()), or a name this
      // house uses only for such fragments: `text`/`where`/`*Sql` (from whereClause), `placeholders` ($1, $2…), `limit` (a number the route
      // schema bounded). Anything else is reported.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(query|exec)$/] > TemplateLiteral.arguments:first-child > ' +
            ':not(TemplateElement, Identifier[name=/^([A-Z][A-Z0-9_]*|text|where|limit|placeholders|[a-z]\\w*Sql)$/], ' +
            "ConditionalExpression[consequent.type='Literal'][alternate.type='Literal'], CallExpression, " +
            'MemberExpression[property.name=/^(sql|[A-Z][A-Z0-9_]*)$/])',
          message: 'Pass values as query parameters ($1…), not spliced into the SQL text.',
        },
      ],
    },
  },
  {
    // Tests, benchmarks and scripts open the fixtures and temporary files they name themselves, and their
    // patterns parse ORCA's own output (metrics, route trees), never an attacker's text.
    files: ['**/*.test.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: {
      'security/detect-non-literal-fs-filename': 'off',
      'security/detect-non-literal-regexp': 'off',
      'security/detect-unsafe-regex': 'off',
    },
  },
  {
    files: ['src/platform/config/**', 'test/**', 'bench/**', 'scripts/**', 'vitest.config.ts', 'src/main.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);

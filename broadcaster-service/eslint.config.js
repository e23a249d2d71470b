// ESLint for the page's and the widget's scripts and their tests, run by ./mvnw -B verify (npm ci, then eslint):
// an error fails the build. The recommended rules, a few that catch real bugs in this code, and what the widget's
// build (page/ModuleBundle.java) needs of a module: named exports of declarations, nothing left on the global scope.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['target/**', 'node_modules/**'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],  // `x != null` (null or undefined) is the one loose compare
      'no-var': 'error',
      'prefer-const': 'error',
      'no-shadow': ['error', { builtinGlobals: false }],
      'no-use-before-define': ['error', { functions: false, classes: true, variables: true }],
      'no-implicit-coercion': ['error', { allow: ['!!'] }],
      'no-param-reassign': 'error',
      'no-throw-literal': 'error',
      'no-promise-executor-return': 'error',
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      'object-shorthand': ['error', 'properties'],
      'prefer-template': 'error',
    },
  },
  {
    // what browsers run: the page's modules and the widget
    files: ['src/main/resources/**/*.js'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only: the widget\'s build (ModuleBundle) takes no default export.' },
        { selector: 'ExportAllDeclaration', message: 'Name what a module re-exports: the widget\'s build (ModuleBundle) takes no export *.' },
        { selector: 'ImportDeclaration[specifiers.length=0]', message: 'Import names, not a module for its effects: the widget\'s build (ModuleBundle) takes named imports.' },
        { selector: 'ImportDefaultSpecifier', message: 'Named imports only: the widget\'s build (ModuleBundle) takes no default import.' },
        { selector: 'ExportNamedDeclaration > VariableDeclaration > VariableDeclarator[id.type!="Identifier"]', message: 'Export one name per declaration: the widget\'s build (ModuleBundle) reads `export const name`.' },
        { selector: 'AssignmentExpression > MemberExpression.left[object.name=/^(window|globalThis|self)$/]', message: 'Nothing global: import what a module needs.' },
      ],
      'no-implicit-globals': 'error',
    },
  },
  {
    files: ['src/test/js/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
];

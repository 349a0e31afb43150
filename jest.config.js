/** One jest run covers unit specs next to the code (libs/, src/) and e2e suites in test/. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@paymux/(.*)$': '<rootDir>/libs/$1/src',
    // content-disposition 3 is ESM-only: Node 20.19+ loads it with require(), jest cannot.
    '^content-disposition$': '<rootDir>/node_modules/content-disposition-cjs',
  },
  testTimeout: 60000,
};

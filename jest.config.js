/** One jest run covers unit specs next to the code (libs/, src/) and e2e suites in test/. */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@paymux/payments$': '<rootDir>/libs/payments/src',
    '^@paymux/spayon$': '<rootDir>/libs/spayon/src',
    '^@paymux/smart-glocal$': '<rootDir>/libs/smart-glocal/src',
    '^@paymux/komoju$': '<rootDir>/libs/komoju/src',
    '^@paymux/simulator-kit$': '<rootDir>/libs/simulator-kit/src',
    '^@paymux/webhook-signature$': '<rootDir>/libs/webhook-signature/src',
    // content-disposition 3 is ESM-only: Node 20.19+ loads it with require(), jest cannot.
    '^content-disposition$': '<rootDir>/node_modules/content-disposition-cjs',
  },
  testTimeout: 60000,
};

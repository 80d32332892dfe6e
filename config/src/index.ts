export * from './app-config';
export * from './municipality-settings';
export * from './municipality-directory';
export * from './secrets';
export * from './payments-config';
export * from './digital-auth-config';
export * from './retention-config';

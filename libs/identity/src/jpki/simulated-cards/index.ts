/**
 * Software My Number Cards for development, tests and the simulated digital
 * authentication service: a CA hierarchy, cards, CRLs. Never trusted unless
 * the simulator is switched on (or a test trusts its own CA).
 */
export * from './simulated-cards';

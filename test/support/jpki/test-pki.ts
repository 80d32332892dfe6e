// The software test cards moved to the identity library, which ships them
// for the simulated digital authentication service; tests keep this path.
export * from '@madoguchi/identity/jpki/simulated-cards';

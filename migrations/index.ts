import { InitialSchema1795377694245 } from './1795377694245-InitialSchema';

/** Every migration, in order. New ones are appended; landed ones never change. */
export const MIGRATIONS = [InitialSchema1795377694245];

import type { MunicipalitySettings } from './municipality-settings';

/**
 * The municipalities this instance serves, from config/municipalities/ as
 * validated at boot. Read-only after start-up.
 */
export class MunicipalityDirectory {
  private readonly byId: Map<string, MunicipalitySettings>;

  constructor(
    settings: MunicipalitySettings[],
    /** Used when a public request names no municipality. */
    readonly defaultId: string | null,
  ) {
    this.byId = new Map(settings.map((item) => [item.id, item]));
    if (defaultId && !this.byId.has(defaultId)) {
      throw new Error(`DEFAULT_MUNICIPALITY_ID ${defaultId} has no settings file in config/municipalities/`);
    }
  }

  static fromSettings(settings: MunicipalitySettings[], configuredDefault: string | null): MunicipalityDirectory {
    const fallback = configuredDefault ?? (settings.length === 1 ? settings[0].id : null);
    return new MunicipalityDirectory(settings, fallback);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): MunicipalitySettings | undefined {
    return this.byId.get(id);
  }

  all(): MunicipalitySettings[] {
    return [...this.byId.values()];
  }
}

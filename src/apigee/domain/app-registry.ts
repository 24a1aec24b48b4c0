import type { App, AppKey } from './model.ts';

/**
 * The organization's apps and keys, indexed the ways Apigee looks them up: by app id, by owner and name
 * (names are unique per developer or app group, docs/fidelity/apigee.md#apigee-app-names), and by consumer
 * key (unique across the organization). Apps and keys are mutated in place, so every index sees the same
 * object; adding and removing go through here so that the indexes agree.
 */
export class AppRegistry {
  readonly #byId = new Map<string, App>();
  /** owner → app name → app. */
  readonly #byOwner = new Map<string, Map<string, App>>();
  readonly #keys = new Map<string, { app: App; key: AppKey }>();

  /** Every app, oldest first. */
  values(): IterableIterator<App> {
    return this.#byId.values();
  }

  get size(): number {
    return this.#byId.size;
  }

  byId(appId: string): App | undefined {
    return this.#byId.get(appId);
  }

  /** The apps of a developer (by developer id) or an app group (`appGroupOwner(name)`), oldest first. */
  ofOwner(owner: string): App[] {
    return [...(this.#byOwner.get(owner)?.values() ?? [])];
  }

  find(owner: string, name: string): App | undefined {
    return this.#byOwner.get(owner)?.get(name);
  }

  /** The app and key of a consumer key. */
  key(consumerKey: string): { app: App; key: AppKey } | undefined {
    return this.#keys.get(consumerKey);
  }

  add(app: App): void {
    this.#byId.set(app.appId, app);
    const owner = ownerOf(app);
    let apps = this.#byOwner.get(owner);
    if (!apps) {
      apps = new Map();
      this.#byOwner.set(owner, apps);
    }
    apps.set(app.name, app);
    for (const key of app.credentials) this.#keys.set(key.consumerKey, { app, key });
  }

  remove(app: App): void {
    this.#byId.delete(app.appId);
    const owner = ownerOf(app);
    const apps = this.#byOwner.get(owner);
    apps?.delete(app.name);
    if (apps?.size === 0) this.#byOwner.delete(owner);
    for (const key of app.credentials) this.#keys.delete(key.consumerKey);
  }

  /** Adds a key to an app the registry holds. */
  addKey(app: App, key: AppKey): void {
    app.credentials.push(key);
    this.#keys.set(key.consumerKey, { app, key });
  }

  removeKey(app: App, key: AppKey): void {
    app.credentials = app.credentials.filter((k) => k !== key);
    this.#keys.delete(key.consumerKey);
  }

  clear(): void {
    this.#byId.clear();
    this.#byOwner.clear();
    this.#keys.clear();
  }
}

/** The owner key of an app group's apps. */
export function appGroupOwner(name: string): string {
  return `appgroup:${name}`;
}

/** An app's owner key: its developer's id, or its app group. */
export function ownerOf(app: App): string {
  return app.appGroup === undefined ? app.developerId : appGroupOwner(app.appGroup);
}

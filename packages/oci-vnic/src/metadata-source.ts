import type { CacheStore } from "./cache-store.js";
import type { Deadline } from "./deadline.js";
import { isOciVnicError } from "./errors.js";
import type { ImdsClient } from "./imds.js";
import type { MetadataSnapshot, VnicInfo } from "./metadata.js";
import { pickVnic, type VnicSelector } from "./select.js";

/** File in the cache directory with this boot's metadata snapshot. */
export const metadataFileName = "oci-vnic-metadata.json";

interface MetadataFile {
  version: 1;
  bootId: string;
  metadataUrl: string;
  snapshot: MetadataSnapshot;
}

/** Metadata from memory, the per-boot cache file, or the metadata service, in that order. */
export interface MetadataSource {
  /** The snapshot; `refresh` forces a metadata-service read. */
  get(deadline: Deadline, refresh?: boolean): Promise<MetadataSnapshot>;
  /** Picks one VNIC; re-reads the metadata service once when a cached snapshot has no match. */
  select(deadline: Deadline, selector: VnicSelector): Promise<VnicInfo>;
  /** The snapshot in memory, if any (for error hints; never does I/O). */
  peek(): MetadataSnapshot | undefined;
}

/** Creates a {@link MetadataSource}. */
export function createMetadataSource(imds: ImdsClient, cache: CacheStore): MetadataSource {
  let snapshot: MetadataSnapshot | undefined;
  let fresh = false;

  const readService = async (deadline: Deadline): Promise<MetadataSnapshot> => {
    const [next, bootId] = await Promise.all([imds.fetchSnapshot(deadline), cache.bootId()]);
    const file: MetadataFile = { version: 1, bootId, metadataUrl: imds.baseUrl, snapshot: next };
    await cache.write(metadataFileName, file);
    snapshot = next;
    fresh = true;
    return next;
  };

  const get = async (deadline: Deadline, refresh = false): Promise<MetadataSnapshot> => {
    if (refresh) return readService(deadline);
    if (snapshot) return snapshot;
    const { metadataFileSchema } = await import("./cache-schema.js");
    const [file, bootId] = await Promise.all([
      cache.read(metadataFileName, metadataFileSchema),
      cache.bootId(),
    ]);
    // Checked field by field on read; only this boot's snapshot of this metadata service counts.
    if (file && file.bootId === bootId && file.metadataUrl === imds.baseUrl) {
      snapshot = file.snapshot as MetadataSnapshot;
      return snapshot;
    }
    return readService(deadline);
  };

  return {
    get,
    async select(deadline, selector) {
      const current = await get(deadline);
      try {
        return pickVnic(current, selector);
      } catch (e) {
        // A VNIC attached since the snapshot was taken: look again once before failing.
        if (fresh || !isOciVnicError(e, "VNIC_NOT_FOUND")) throw e;
        return pickVnic(await readService(deadline), selector);
      }
    },
    peek: () => snapshot,
  };
}

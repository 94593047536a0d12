/**
 * The `memories` retention target (data protection's `retention.memories` policy): memories older than
 * max_age_days, and beyond the newest max_count in each collection, are deleted when `az db prune` or the
 * daemon's automatic prune runs. Nothing is deleted while the policy sets no limit. When Chroma cannot be
 * reached the prune reports it and deletes nothing.
 */
import { RESOURCE_URIS } from '../../protocol/resources.js';
import type { Core } from '../core.js';
import { ageCutoff, type RetentionTarget } from '../data-protection/retention/retention-target.js';
import type { MemoryRuntime } from './memory-runtime.js';

export function createMemoryRetention(core: Core, memory: MemoryRuntime): RetentionTarget {
  return {
    name: 'memories',
    description: 'memories in every collection (task summaries, ingested files, added facts)',
    async prune(policy, context) {
      const store = memory.store();
      const cutoff = ageCutoff(policy, context.now);
      let matched = 0;
      let deleted = 0;
      const perCollection: string[] = [];
      for (const name of await store.collectionNames()) {
        const ages = await store.ages(name, context.signal);
        const beyond = policy.max_count === null ? 0 : Math.max(0, ages.length - policy.max_count);
        const doomed = ages
          .filter((entry, index) => index < beyond || (cutoff !== undefined && entry.createdMs < cutoff))
          .map(entry => entry.id);
        matched += doomed.length;
        if (doomed.length > 0) perCollection.push(`${name}: ${doomed.length} of ${ages.length}`);
        if (!context.dryRun) {
          await store.deleteIds(name, doomed);
          deleted += doomed.length;
        }
      }
      if (deleted > 0) core.feed.publishAggregate(RESOURCE_URIS.memoryCollections);
      const verb = context.dryRun ? 'would delete' : 'deleted';
      return {
        matched,
        deleted,
        detail:
          matched === 0
            ? 'no memories beyond the policy'
            : `${verb} ${matched} memories (${perCollection.join('; ')})`,
      };
    },
  };
}

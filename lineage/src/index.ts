/**
 * Lineage: the LineageStore port, its PostgreSQL (embedded default) and Neo4j
 * backends and the chooser between them.
 */
export { MAX_LINEAGE_DEPTH, TRANSFORMATIONS } from './model.js';
export type {
  JobRef,
  LineageDirection,
  LineageEdge,
  LineageHop,
  LineageNode,
  LineageNodeKind,
  LineagePath,
  LineageStore,
  TransformationSubtype,
  TransformationType,
} from './model.js';
export { createPgLineageStore } from './pg-lineage-store.js';
export { createNeo4jLineageStore, NEO4J_SCHEMA } from './neo4j-lineage-store.js';
export { openLineageStore, neo4jConfigFromEnv } from './open-lineage-store.js';
export type { Neo4jConfig } from './open-lineage-store.js';
export { uuidv7 } from './uuidv7.js';
export { planRunEvent, RUN_EVENT_SCHEMA } from './openlineage.js';
export type { EventProblem, IngestPlan, RunEvent } from './openlineage.js';
export { createConsumptionRecorder, findConsumers } from './consumption.js';
export type { ConsumptionRecorder, FieldConsumer, ReceivedDisclosure, ReceivedField } from './consumption.js';

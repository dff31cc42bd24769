import { round, type Measurement } from './measure';

export const TARGETS = { throughputShareOfCeiling: 0.9, roundTripReduction: 20 };

export interface Environment {
  server: string;
  serverOrigin: string;
  node: string;
  cpu: string;
  cores: number;
  date: string;
  records: number;
  distinct: number;
  batchSize: number;
  warmupRecords: number;
  command: string;
}

export interface Variants {
  batcher: Measurement;
  oneByOne: Measurement;
  rawBulkWrite: Measurement;
  rawSamePlan: Measurement;
}

export interface IngestResults {
  batcher: number;
  oneByOne: number;
  rawBulkWrite: number;
  roundTripsPer1k: { batcher: number; oneByOne: number; rawBulkWrite: number };
  cpuMicrosPerRecord: { batcher: number; oneByOne: number; rawBulkWrite: number };
  rawSamePlan: Measurement;
  ratios: { batcherVsRawBulkWrite: number; oneByOneVsBatcherRoundTrips: number; batcherVsRawSamePlan: number };
  targets: {
    throughput: { target: number; measured: number; met: boolean };
    roundTrips: { target: number; measured: number; met: boolean };
  };
  variants: Variants;
  environment: Environment;
}

/** The required top-level figures, the ratios against the targets, and every measurement in full. */
export function buildResults(variants: Variants, environment: Environment): IngestResults {
  const { batcher, oneByOne, rawBulkWrite, rawSamePlan } = variants;
  const share = batcher.recordsPerSecond / rawBulkWrite.recordsPerSecond;
  const reduction = oneByOne.roundTrips / batcher.roundTrips;
  return {
    batcher: batcher.recordsPerSecond,
    oneByOne: oneByOne.recordsPerSecond,
    rawBulkWrite: rawBulkWrite.recordsPerSecond,
    roundTripsPer1k: { batcher: batcher.roundTripsPer1k, oneByOne: oneByOne.roundTripsPer1k, rawBulkWrite: rawBulkWrite.roundTripsPer1k },
    cpuMicrosPerRecord: {
      batcher: batcher.cpuMicrosPerRecord,
      oneByOne: oneByOne.cpuMicrosPerRecord,
      rawBulkWrite: rawBulkWrite.cpuMicrosPerRecord,
    },
    rawSamePlan,
    ratios: {
      batcherVsRawBulkWrite: round(share, 3),
      oneByOneVsBatcherRoundTrips: round(reduction, 2),
      batcherVsRawSamePlan: round(batcher.recordsPerSecond / rawSamePlan.recordsPerSecond, 3),
    },
    targets: {
      throughput: { target: TARGETS.throughputShareOfCeiling, measured: round(share, 3), met: share >= TARGETS.throughputShareOfCeiling },
      roundTrips: { target: TARGETS.roundTripReduction, measured: round(reduction, 2), met: reduction >= TARGETS.roundTripReduction },
    },
    variants,
    environment,
  };
}

/** The security graph and attack paths (library API). */
export { buildSecurityGraph, CROWN_JEWEL_ANNOTATION, SYSTEM_NAMESPACES, type BuiltGraph, type GraphOptions, type CloudProvider } from './build.js';
export { SecurityGraph, JEWEL_CATEGORIES, type EdgeKind, type Evidence, type JewelCategory, type VertexKind, type VertexInfo } from './graph.js';
export { findAttackPaths, computePaths, describePath, resolveStart, type AttackPath, type PathStep, type PathsResult, type PathOptions } from './paths.js';
export { prioritizeFindings, type FindingPriority } from './priority.js';
export { whatIf, applyChanges, WHAT_IF_ANNOTATION, type WhatIfResult } from './what-if.js';
export { graphToJson, type GraphJson } from './export.js';
export { prioritizeScan, attackPathsOf } from './scan.js';

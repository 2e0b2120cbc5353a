/** Every audit detection (event detections and context detections), in id order. */
import { EVENT_DETECTIONS, type DetectionDef } from './detections.js';
import { CONTEXT_DETECTIONS } from './context-detections.js';

export const ALL_DETECTIONS: readonly DetectionDef[] = [...EVENT_DETECTIONS, ...CONTEXT_DETECTIONS].sort((a, b) => (a.id < b.id ? -1 : 1));

export function detectionById(id: string): DetectionDef | undefined {
  return ALL_DETECTIONS.find((d) => d.id === id);
}

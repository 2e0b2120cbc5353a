/**
 * Why a control has no `cel` rule: an admission policy sees one object (and its request) at a
 * time, so controls that need other objects, or heuristics CEL cannot run within the API
 * server's cost budget, stay with the scan and the webhook (which keeps an inventory).
 */
import type { Control } from '../engine/types.js';

const REASONS: Readonly<Record<string, string>> = {};

export function notExpressibleReason(control: Control): string {
  const specific = REASONS[control.id];
  if (specific) return specific;
  if (control.targets === 'inventory') return 'judges several objects together (kordon reads the whole inventory); an admission policy sees one object at a time';
  return 'no CEL rule written for this control';
}

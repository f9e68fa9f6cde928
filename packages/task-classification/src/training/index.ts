export { type ClassifierGroup, cosineWarmstart, fullSchedule, linearProbeSchedule, sawtoothSchedule } from './lr-schedule.js';

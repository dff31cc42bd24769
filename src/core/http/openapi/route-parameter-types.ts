import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** The classes every controller method takes (bodies, queries): DTOs that only inherit their rules are found here. */
export function routeParameterTypes(app: INestApplication): Function[] {
  const types = new Set<Function>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const parameters = (Reflect.getMetadata('design:paramtypes', prototype, key) ?? []) as unknown[];
        for (const type of parameters) if (typeof type === 'function') types.add(type);
      }
    }
  }
  return [...types];
}

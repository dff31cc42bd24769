import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** A class, as decorators and reflection metadata see it. */
export type AnyClass = abstract new (...args: never[]) => unknown;

/** The classes every controller method takes (bodies, queries): DTOs that only inherit their rules are found here. */
export function routeParameterTypes(app: INestApplication): AnyClass[] {
  const types = new Set<AnyClass>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const parameters = (Reflect.getMetadata('design:paramtypes', prototype, key) ?? []) as unknown[];
        for (const type of parameters) if (typeof type === 'function') types.add(type as AnyClass);
      }
    }
  }
  return [...types];
}

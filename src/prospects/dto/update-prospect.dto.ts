import { ProspectFieldsDto } from './prospect-fields.dto';

export class UpdateProspectDto extends ProspectFieldsDto {}
